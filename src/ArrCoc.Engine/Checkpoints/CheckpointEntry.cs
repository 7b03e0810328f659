namespace ArrCoc.Engine.Checkpoints;

/// <summary>Where a checkpoint lives.</summary>
public enum CheckpointSource
{
    Local,
    Hub,
}

/// <summary>
/// One ARR-COC checkpoint as the Microscope's picker lists it: a training checkpoint folder (weights, optimizer
/// state, state.json) or a loose weights file (.safetensors, .pt, .pth, .bin), local or in a Hub model repository.
/// </summary>
public sealed record CheckpointEntry
{
    /// <summary>e.g. "run-a/step-000300" (local, relative to the listed folder), "step-000300" (Hub), "seed.pt".</summary>
    public required string Name { get; init; }

    public required CheckpointSource Source { get; init; }

    /// <summary>Local: the weights file (load it with <see cref="CheckpointCatalog.Load"/>). Hub: its path in the repository.</summary>
    public required string Path { get; init; }

    /// <summary>Training step, when known (state.json or the file's metadata), e.g. 300.</summary>
    public int? Step { get; init; }

    /// <summary>The Qwen3-VL model it was trained against, when known.</summary>
    public string? Model { get; init; }

    /// <summary>Mean training loss of its last steps, when known.</summary>
    public double? TrainLoss { get; init; }

    /// <summary>When it was saved (state.json) or last written (a loose file).</summary>
    public DateTimeOffset? SavedUtc { get; init; }

    /// <summary>The weights file's metadata (safetensors header), e.g. arrcoc.query_dim = 2048.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}
