namespace ArrCoc.Engine.Service;

/// <summary>Which ARR-COC weights an analysis uses: a safetensors file, or the untrained initialisation of a seed.</summary>
/// <param name="Label">"untrained (seed N)" or the file path: what results and the UI show.</param>
public sealed record CheckpointChoice(string Label, string? Path, long Seed)
{
    public static CheckpointChoice Untrained(long seed) => new($"untrained (seed {seed})", null, seed);

    public static CheckpointChoice File(string path) => new(path, path, 0);

    /// <summary>The configured default (section "ArrCoc": Checkpoint, Seed).</summary>
    public static CheckpointChoice From(ArrCocOptions options) =>
        string.IsNullOrWhiteSpace(options.Checkpoint) ? Untrained(options.Seed) : File(options.Checkpoint);

    /// <summary>A copy of <paramref name="options"/> that loads these weights.</summary>
    public ArrCocOptions ApplyTo(ArrCocOptions options) => new()
    {
        K = options.K,
        Grid = options.Grid,
        MaxCells = options.MaxCells,
        Checkpoint = Path,
        Seed = Seed,
        FallbackQueryDim = options.FallbackQueryDim,
        MaxQuestionChars = options.MaxQuestionChars,
        MaxQuestionTokens = options.MaxQuestionTokens,
    };

    public override string ToString() => Label;
}
