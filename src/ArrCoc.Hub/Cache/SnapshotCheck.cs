using System.Text.Json;

namespace ArrCoc.Hub;

/// <summary>
/// Is a cached snapshot a usable model without asking the Hub? config.json, the safetensors weights (every shard
/// the index names, or model.safetensors), and no dangling link. huggingface_hub returns any existing snapshot
/// folder; a half-finished download would then fail later, so we check the files a model needs.
/// </summary>
internal static class SnapshotCheck
{
    const string IndexFile = "model.safetensors.index.json";

    /// <returns>Null when usable, else what is missing (for the error message).</returns>
    public static string? WhatIsMissing(string folder)
    {
        if (!Directory.Exists(folder)) return "no snapshot folder";
        var missing = new List<string>();
        if (!File.Exists(Path.Combine(folder, "config.json"))) missing.Add("config.json");
        var index = Path.Combine(folder, IndexFile);
        if (File.Exists(index))
            missing.AddRange(Shards(index).Where(shard => !File.Exists(Path.Combine(folder, shard))));
        else if (!Directory.EnumerateFiles(folder, "*.safetensors").Any(File.Exists))
            missing.Add("*.safetensors weights");
        missing.AddRange(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(path => new FileInfo(path).LinkTarget is not null && !File.Exists(path))
            .Select(path => Path.GetRelativePath(folder, path) + " (dangling link)"));
        return missing.Count == 0 ? null : string.Join(", ", missing.Distinct());
    }

    static IEnumerable<string> Shards(string indexPath)
    {
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(indexPath));
            return json.RootElement.GetProperty("weight_map").EnumerateObject()
                .Select(p => p.Value.GetString() ?? "").Where(s => s.Length > 0).Distinct().ToList();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"{indexPath} is not a safetensors index (no \"weight_map\" object): {e.Message}", e);
        }
    }
}
