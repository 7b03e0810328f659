using static TorchSharp.torch;

namespace ArrCoc.Core.Checkpoints;

/// <summary>
/// ARR-COC's learned weights as one small safetensors file with the seed's keys (float32).
/// Loading is strict: every expected key present, no unexpected key, every shape matched; a D mismatch names
/// the tensor and both numbers.
/// </summary>
public static class ArrCocCheckpoint
{
    /// <summary>Metadata key holding the query dimension D.</summary>
    public const string QueryDimKey = "arrcoc.query_dim";

    public static void Save(ArrCocModel model, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var meta = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>()) { [QueryDimKey] = model.QueryDim.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var state = model.state_dict();
        Safetensors.Write(path, state, meta);
    }

    /// <summary>Load a checkpoint for a model whose query dimension is <paramref name="queryDim"/>.</summary>
    public static ArrCocModel Load(string path, int queryDim)
    {
        var (tensors, _) = Safetensors.Read(path);
        try
        {
            var expected = ArrCocModel.ExpectedShapes(queryDim);
            var missing = expected.Keys.Where(k => !tensors.ContainsKey(k)).ToList();
            var unexpected = tensors.Keys.Where(k => !expected.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
            if (missing.Count > 0 || unexpected.Count > 0)
                throw new InvalidDataException($"{Path.GetFileName(path)} does not hold ARR-COC weights: "
                    + (missing.Count > 0 ? $"missing {string.Join(", ", missing)}" : "")
                    + (missing.Count > 0 && unexpected.Count > 0 ? "; " : "")
                    + (unexpected.Count > 0 ? $"unexpected {string.Join(", ", unexpected)}" : ""));
            var mismatches = expected
                .Where(kv => !tensors[kv.Key].shape.SequenceEqual(kv.Value))
                .Select(kv => $"{kv.Key} has shape [{string.Join(", ", tensors[kv.Key].shape)}], expected [{string.Join(", ", kv.Value)}]")
                .ToList();
            if (mismatches.Count > 0)
            {
                var biasShape = tensors["participatory_scorer.texture_proj.2.bias"].shape;
                long checkpointD = biasShape.Length == 1 ? biasShape[0] : -1;
                var hint = checkpointD >= 0 && checkpointD != queryDim ? $" (checkpoint D = {checkpointD}, model D = {queryDim})" : "";
                throw new InvalidDataException($"{Path.GetFileName(path)}: {string.Join("; ", mismatches)}{hint}");
            }

            var model = new ArrCocModel(queryDim, seed: 0);
            using (no_grad())
            {
                foreach (var (name, parameter) in model.named_parameters())
                    parameter.copy_(tensors[name]);
            }
            return model;
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }
}
