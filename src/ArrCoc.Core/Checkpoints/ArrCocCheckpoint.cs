using static TorchSharp.torch;

namespace ArrCoc.Core.Checkpoints;

/// <summary>
/// ARR-COC's learned weights with the seed's keys. Written as one small safetensors file (float32); read from
/// safetensors or from a PyTorch state-dict file (.pt, .pth, .bin: what the original trainer's torch.save writes,
/// see <see cref="PyTorchStateDict"/>). Loading is strict: every expected key present, no unexpected key, every
/// shape matched; a D mismatch names the tensor and both numbers.
/// </summary>
public static class ArrCocCheckpoint
{
    /// <summary>Metadata key holding the query dimension D.</summary>
    public const string QueryDimKey = "arrcoc.query_dim";

    /// <summary>File extensions that hold ARR-COC weights: safetensors, or a PyTorch state dict.</summary>
    public static readonly IReadOnlyList<string> Extensions = [".safetensors", ".pt", ".pth", ".bin"];

    public static bool IsWeightsFile(string path) => Extensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    public static void Save(ArrCocModel model, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var meta = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>()) { [QueryDimKey] = model.QueryDim.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var state = model.state_dict();
        Safetensors.Write(path, state, meta);
    }

    /// <summary>Load a checkpoint for a model whose query dimension is <paramref name="queryDim"/>.</summary>
    public static ArrCocModel Load(string path, int queryDim)
    {
        var model = new ArrCocModel(queryDim, seed: 0);
        try
        {
            LoadInto(model, path);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Copy a checkpoint's weights into an existing model (its D decides the expected shapes).</summary>
    public static void LoadInto(ArrCocModel model, string path)
    {
        var tensors = ReadStateDict(path);
        try
        {
            Validate(Path.GetFileName(path), tensors, model.QueryDim);
            using (no_grad())
            {
                foreach (var (name, parameter) in model.named_parameters())
                    parameter.copy_(tensors[name]);
            }
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    /// <summary>Every tensor of a weights file as float32, by extension: safetensors or a PyTorch state dict.</summary>
    public static Dictionary<string, Tensor> ReadStateDict(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".safetensors" => Safetensors.Read(path).Tensors,
        _ when IsWeightsFile(path) => PyTorchStateDict.Read(path),
        var other => throw new NotSupportedException($"{Path.GetFileName(path)}: '{other}' is not a weights format ARR-COC reads; use .safetensors, or a PyTorch state dict (.pt, .pth, .bin)"),
    };

    /// <summary>The strict key and shape check (missing, unexpected, shapes, with D named on a D mismatch).</summary>
    public static void Validate(string fileName, IReadOnlyDictionary<string, Tensor> tensors, int queryDim)
    {
        var expected = ArrCocModel.ExpectedShapes(queryDim);
        var missing = expected.Keys.Where(k => !tensors.ContainsKey(k)).ToList();
        var unexpected = tensors.Keys.Where(k => !expected.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
            throw new InvalidDataException($"{fileName} does not hold ARR-COC weights: "
                + (missing.Count > 0 ? $"missing {string.Join(", ", missing)}" : "")
                + (missing.Count > 0 && unexpected.Count > 0 ? "; " : "")
                + (unexpected.Count > 0 ? $"unexpected {string.Join(", ", unexpected)}" : ""));
        var mismatches = expected
            .Where(kv => !tensors[kv.Key].shape.SequenceEqual(kv.Value))
            .Select(kv => $"{kv.Key} has shape [{string.Join(", ", tensors[kv.Key].shape)}], expected [{string.Join(", ", kv.Value)}]")
            .ToList();
        if (mismatches.Count == 0) return;
        var biasShape = tensors["participatory_scorer.texture_proj.2.bias"].shape;
        long checkpointD = biasShape.Length == 1 ? biasShape[0] : -1;
        var hint = checkpointD >= 0 && checkpointD != queryDim ? $" (checkpoint D = {checkpointD}, model D = {queryDim})" : "";
        throw new InvalidDataException($"{fileName}: {string.Join("; ", mismatches)}{hint}");
    }
}
