using ArrCoc.Engine.Checkpoints;

namespace ArrCoc.Engine.Service;

/// <summary>
/// Which ARR-COC weights an analysis uses: a local weights file, a checkpoint in a Hub model repository (downloaded
/// into the Hugging Face cache on first use), or the untrained initialisation of a seed.
/// </summary>
/// <param name="Label">"untrained (seed N)", the file path, "local: run/step-000300" or "hub: owner/repo step-000300": what results and the UI show.</param>
/// <param name="Path">The local weights file; null for an untrained seed, or a Hub checkpoint not downloaded yet.</param>
/// <param name="HubRepository">The Hub model repository of a Hub checkpoint, e.g. "me/arrcoc-run".</param>
/// <param name="HubName">Its folder under checkpoints/, e.g. "step-000300".</param>
/// <param name="HubWeights">Its weights file's path in the repository, e.g. "checkpoints/step-000300/arrcoc.safetensors" or ".../seed.pt".</param>
public sealed record CheckpointChoice(string Label, string? Path, long Seed, string? HubRepository = null, string? HubName = null, string? HubWeights = null)
{
    public static CheckpointChoice Untrained(long seed) => new($"untrained (seed {seed})", null, seed);

    public static CheckpointChoice File(string path) => new(path, path, 0);

    /// <summary>A checkpoint listed in a local folder (<see cref="CheckpointCatalog.ListLocal"/>).</summary>
    public static CheckpointChoice Local(CheckpointEntry entry) => new($"local: {entry.Name}", entry.Path, 0);

    /// <summary>A checkpoint of a Hub model repository (<see cref="HubCheckpoints.ListAsync"/>); downloaded when first used.</summary>
    public static CheckpointChoice Hub(string repository, CheckpointEntry entry) =>
        new($"hub: {repository} {entry.Name}", null, 0, repository, entry.Name, entry.Path);

    /// <summary>The configured default (section "ArrCoc": Checkpoint, Seed).</summary>
    public static CheckpointChoice From(ArrCocOptions options) =>
        string.IsNullOrWhiteSpace(options.Checkpoint) ? Untrained(options.Seed) : File(options.Checkpoint);

    /// <summary>A Hub checkpoint whose weights are not on this machine yet.</summary>
    public bool NeedsDownload => HubRepository is not null && Path is null;

    /// <summary>A copy of <paramref name="options"/> that loads these weights.</summary>
    public ArrCocOptions ApplyTo(ArrCocOptions options)
    {
        if (NeedsDownload) throw new InvalidOperationException($"{Label} must be downloaded before it is used");
        var copy = options.Clone();
        copy.Checkpoint = Path;
        copy.Seed = Seed;
        return copy;
    }

    public override string ToString() => Label;
}
