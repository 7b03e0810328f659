using System.Globalization;
using ArrCoc.Core;
using ArrCoc.Core.Checkpoints;
using ArrCoc.Engine.Training;
using ArrCoc.Qwen3VL.Safetensors;

namespace ArrCoc.Engine.Checkpoints;

/// <summary>
/// Local ARR-COC checkpoints for pickers and the CLI: list what a folder holds, turn any accepted path into the
/// weights file, load it strictly. Accepted everywhere a checkpoint is asked for: a weights file (.safetensors, or a
/// PyTorch state dict .pt/.pth/.bin as the original trainer's torch.save writes), a training checkpoint folder
/// (its arrcoc.safetensors), or a training run folder (its latest checkpoint).
/// </summary>
public static class CheckpointCatalog
{
    const int MaxDepth = 4;

    /// <summary>A file that may hold ARR-COC's weights: a weights extension, and not a training run's optimizer state.</summary>
    public static bool IsWeightsFile(string path) =>
        ArrCocCheckpoint.IsWeightsFile(path) && !Path.GetFileName(path).Equals(TrainingCheckpoint.OptimizerFile, StringComparison.OrdinalIgnoreCase);

    /// <summary>The weights file behind a path (file, checkpoint folder or run folder).</summary>
    public static string ResolveWeights(string path)
    {
        if (File.Exists(path))
            return IsWeightsFile(path) ? Path.GetFullPath(path)
                : throw new NotSupportedException($"{Path.GetFileName(path)} is not an ARR-COC weights file; use .safetensors, .pt, .pth or .bin");
        if (Directory.Exists(path))
        {
            var inFolder = Path.Combine(path, TrainingCheckpoint.WeightsFile);
            if (File.Exists(inFolder)) return Path.GetFullPath(inFolder);
            if (TrainingCheckpoint.Latest(path) is { } latest) return Path.Combine(latest, TrainingCheckpoint.WeightsFile);
            throw new FileNotFoundException($"{path} holds no ARR-COC checkpoint ({TrainingCheckpoint.WeightsFile}, or checkpoints/step-* of a training run)");
        }
        throw new FileNotFoundException($"checkpoint not found: {path}", path);
    }

    /// <summary>The weights file behind a path, or null when there is none (the load reports why).</summary>
    public static string? TryResolveWeights(string path)
    {
        try { return ResolveWeights(path); }
        catch (Exception e) when (e is IOException or NotSupportedException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>Load ARR-COC's weights from any accepted path, for a model of query dimension D (strict keys and shapes).</summary>
    public static ArrCocModel Load(string path, int queryDim) => ArrCocCheckpoint.Load(ResolveWeights(path), queryDim);

    /// <summary>
    /// Every checkpoint under a folder: training checkpoint folders (holding arrcoc.safetensors; up to 4 levels
    /// down, e.g. RUN/checkpoints/step-000300 or a Hub snapshot's checkpoints/NAME) and loose weights files directly
    /// in it. Sorted by name; steps in numeric order within a run. An absent folder lists nothing.
    /// </summary>
    public static IReadOnlyList<CheckpointEntry> ListLocal(string folder)
    {
        if (!Directory.Exists(folder)) return [];
        var root = Path.GetFullPath(folder);
        var entries = new List<CheckpointEntry>();
        foreach (var file in Directory.GetFiles(root).Where(IsWeightsFile))
            entries.Add(Entry(root, file, null));
        Walk(root, root, 0, entries);
        return entries.OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
    }

    static void Walk(string root, string directory, int depth, List<CheckpointEntry> entries)
    {
        if (depth > MaxDepth) return;
        IEnumerable<string> children;
        try { children = Directory.GetDirectories(directory); }
        catch (UnauthorizedAccessException) { return; }
        foreach (var child in children)
        {
            var weights = Path.Combine(child, TrainingCheckpoint.WeightsFile);
            if (File.Exists(weights)) entries.Add(Entry(root, weights, child));
            else Walk(root, child, depth + 1, entries);
        }
    }

    /// <summary>An entry from a weights file (and its checkpoint folder, if any), with what state.json and the header say.</summary>
    public static CheckpointEntry Entry(string root, string weights, string? checkpointFolder)
    {
        IReadOnlyDictionary<string, string> metadata = weights.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)
            ? TryRead(() => { using var file = SafetensorsFile.Open(weights); return file.Metadata; }) ?? new Dictionary<string, string>()
            : new Dictionary<string, string>();
        var statePath = checkpointFolder is null ? null : Path.Combine(checkpointFolder, TrainingCheckpoint.StateFile);
        var state = statePath is not null && File.Exists(statePath) ? TryRead(() => TrainingState.Read(statePath)) : null;
        var name = checkpointFolder is null ? Path.GetFileName(weights) : DisplayName(root, checkpointFolder);
        return new CheckpointEntry
        {
            Name = name,
            Source = CheckpointSource.Local,
            Path = weights,
            Step = state?.Step ?? Int(metadata, "arrcoc.step"),
            Model = state?.Model ?? metadata.GetValueOrDefault("arrcoc.model"),
            TrainLoss = state?.Metrics.LossMean10 ?? Double(metadata, "arrcoc.train_loss"),
            SavedUtc = state?.SavedUtc ?? new DateTimeOffset(File.GetLastWriteTimeUtc(weights), TimeSpan.Zero),
            Metadata = metadata,
        };
    }

    /// <summary>"run-a/step-000300": the folder relative to the root, without the "checkpoints" segment.</summary>
    static string DisplayName(string root, string folder)
    {
        var relative = Path.GetRelativePath(root, folder).Replace('\\', '/');
        if (relative == ".") return Path.GetFileName(folder);
        var parts = relative.Split('/').Where(p => p != TrainingCheckpoint.CheckpointsFolder);
        return string.Join('/', parts);
    }

    static T? TryRead<T>(Func<T> read) where T : class
    {
        try { return read(); }
        catch (Exception e) when (e is InvalidDataException or IOException) { return null; } // listed without details
    }

    static int? Int(IReadOnlyDictionary<string, string> metadata, string key) =>
        metadata.TryGetValue(key, out var text) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    static double? Double(IReadOnlyDictionary<string, string> metadata, string key) =>
        metadata.TryGetValue(key, out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
}
