using System.Text.Json;
using static TorchSharp.torch;

namespace ArrCoc.Qwen3VL.Safetensors;

/// <summary>
/// Strict state-dict loading from a Hugging Face checkpoint folder: model.safetensors, or shards listed by
/// model.safetensors.index.json. Every key of the files must be a parameter and every parameter must be in the
/// files with the same shape; otherwise one error lists every missing, unexpected and mismatched key by name.
/// Tensors are converted to each parameter's dtype/device one at a time (chunked), shard after shard.
/// </summary>
public static class CheckpointLoader
{
    public const string SingleFile = "model.safetensors";
    public const string IndexFile = "model.safetensors.index.json";

    /// <summary>Weight files of a checkpoint folder, with the key → file map the index declares (null for one file).</summary>
    public static (IReadOnlyList<string> Files, IReadOnlyDictionary<string, string>? WeightMap) WeightFiles(string modelDir)
    {
        var single = Path.Combine(modelDir, SingleFile);
        if (File.Exists(single)) return ([single], null);
        var index = Path.Combine(modelDir, IndexFile);
        if (!File.Exists(index))
            throw new FileNotFoundException($"{modelDir} has neither {SingleFile} nor {IndexFile}.", single);
        Dictionary<string, string> map;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(index));
            if (!doc.RootElement.TryGetProperty("weight_map", out var weightMap) || weightMap.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{index}: weight_map is missing or not an object.");
            map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in weightMap.EnumerateObject())
            {
                if (p.Value.ValueKind != JsonValueKind.String) throw new InvalidDataException($"{index}: weight_map.{p.Name} must be a file name.");
                var file = p.Value.GetString()!;
                if (file.Contains('/') || file.Contains('\\') || file.Contains(".."))
                    throw new InvalidDataException($"{index}: weight_map.{p.Name} = \"{file}\" must be a plain file name in the checkpoint folder.");
                map[p.Name] = file;
            }
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{index}: not valid JSON ({e.Message}).", e);
        }
        if (map.Count == 0) throw new InvalidDataException($"{index}: weight_map is empty.");
        var files = map.Values.Distinct().Order(StringComparer.Ordinal).Select(f => Path.Combine(modelDir, f)).ToList();
        foreach (var f in files)
            if (!File.Exists(f)) throw new FileNotFoundException($"{index} lists shard {Path.GetFileName(f)}, which is not in {modelDir}.", f);
        return (files, map);
    }

    /// <summary>
    /// Loads the checkpoint in <paramref name="modelDir"/> into <paramref name="parameters"/> (name → destination).
    /// <paramref name="ignorable"/> keys may be present in the files without a destination (e.g. lm_head.weight of a
    /// tied model, which transformers overwrites with the embedding anyway).
    /// </summary>
    public static void Load(string modelDir, IReadOnlyDictionary<string, Tensor> parameters, ISet<string>? ignorable = null)
    {
        var (files, weightMap) = WeightFiles(modelDir);

        // Pass 1: headers only (validated on open), to check the key set and shapes before touching any data.
        var located = new Dictionary<string, (string File, SafetensorsEntry Entry)>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var file in files)
        {
            using var st = SafetensorsFile.Open(file);
            foreach (var (name, entry) in st.Tensors)
            {
                if (located.TryGetValue(name, out var other))
                {
                    problems.Add($"\"{name}\" is in both {Path.GetFileName(other.File)} and {Path.GetFileName(file)}");
                    continue;
                }
                located[name] = (file, entry);
                if (weightMap is not null && (!weightMap.TryGetValue(name, out var mapped) || mapped != Path.GetFileName(file)))
                    problems.Add($"\"{name}\" is in {Path.GetFileName(file)} but the index maps it to {(weightMap.TryGetValue(name, out var m) ? m : "nothing")}");
            }
        }
        if (weightMap is not null)
            foreach (var (name, file) in weightMap)
                if (!located.ContainsKey(name)) problems.Add($"the index maps \"{name}\" to {file}, which does not hold it");

        var missing = parameters.Keys.Where(k => !located.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var unexpected = located.Keys.Where(k => !parameters.ContainsKey(k) && !(ignorable?.Contains(k) ?? false)).Order(StringComparer.Ordinal).ToList();
        var mismatched = new List<string>();
        foreach (var (name, destination) in parameters)
        {
            if (!located.TryGetValue(name, out var found)) continue;
            if (!found.Entry.Shape.SequenceEqual(destination.shape))
                mismatched.Add($"{name}: checkpoint [{string.Join(", ", found.Entry.Shape)}] vs model [{string.Join(", ", destination.shape)}]");
            else if (!found.Entry.Dtype.IsSupportedWeightType())
                mismatched.Add($"{name}: stored as {found.Entry.Dtype} (only BF16, F16, F32 weights are supported)");
        }
        if (missing.Count + unexpected.Count + mismatched.Count + problems.Count > 0)
        {
            var parts = new List<string>();
            if (missing.Count > 0) parts.Add($"{missing.Count} missing key(s): {Listing(missing)}");
            if (unexpected.Count > 0) parts.Add($"{unexpected.Count} unexpected key(s): {Listing(unexpected)}");
            if (mismatched.Count > 0) parts.Add($"{mismatched.Count} shape/dtype mismatch(es): {Listing(mismatched)}");
            if (problems.Count > 0) parts.Add($"{problems.Count} index problem(s): {Listing(problems)}");
            throw new InvalidDataException($"checkpoint {modelDir} does not match the model: {string.Join("; ", parts)}.");
        }

        // Pass 2: data, one shard open at a time, one tensor mapped at a time.
        using var noGrad = no_grad();
        foreach (var file in files)
        {
            using var st = SafetensorsFile.Open(file);
            foreach (var name in st.Tensors.Keys)
                if (parameters.TryGetValue(name, out var destination))
                    st.CopyTo(name, destination);
        }
    }

    static string Listing(List<string> items) =>
        string.Join(", ", items.Take(20)) + (items.Count > 20 ? $", … ({items.Count - 20} more)" : "");
}
