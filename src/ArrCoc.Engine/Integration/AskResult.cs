using ArrCoc.Engine.Analysis;
using ArrCoc.Qwen3VL.Generation;

namespace ArrCoc.Engine.Integration;

/// <summary>
/// Everything one answer produced: the ARR-COC analysis (null for all tokens without analysis), the cells given to
/// the model, the text, the prompt as the model saw it, token counts (full prompt vs used) and timings per stage.
/// </summary>
public sealed record AskResult
{
    public required string ModelId { get; init; }

    public required string Question { get; init; }

    /// <summary>The analysis whose kept cells were used (also computed for --keep-indices, for the record).</summary>
    public AnalysisResult? Analysis { get; init; }

    /// <summary>Cells given to the model, ascending; null = all tokens.</summary>
    public int[]? Kept { get; init; }

    /// <summary>Where <see cref="Kept"/> came from.</summary>
    public CellSelection Selection { get; init; }

    public required string Text { get; init; }

    /// <summary>Generated ids, the first-step logits and why generation stopped.</summary>
    public required GenerationTrace Trace { get; init; }

    /// <summary>The prompt given to the language model (pruned when cells were kept).</summary>
    public required PromptTokens Prompt { get; init; }

    /// <summary>The processor's image_grid_thw, e.g. [1, 64, 64] (patches, before the 2 × 2 merge).</summary>
    public required long[] ImageGridThw { get; init; }

    /// <summary>The processor's pixel_values shape, e.g. [4096, 1536].</summary>
    public required long[] PixelValuesShape { get; init; }

    /// <summary>Tokens of the full prompt (every image token).</summary>
    public required int FullPromptTokens { get; init; }

    public int PromptTokensUsed => Prompt.Count;

    public int GeneratedTokens => Trace.GeneratedIds.Count;

    /// <summary>
    /// Stage → milliseconds: decode (image), texture, knowing, balancing, attending (ARR-COC), processor,
    /// vision_encoder, prompt, select, prefill, first_token (time to first token from the request's start),
    /// decode_tokens, total.
    /// </summary>
    public required IReadOnlyDictionary<string, double> TimingsMs { get; init; }
}

/// <summary>Which visual tokens an answer was made from.</summary>
public enum CellSelection
{
    /// <summary>ARR-COC's top K (the analysis's kept cells).</summary>
    ArrCoc,

    /// <summary>An explicit list of cells (`ask --keep-indices`).</summary>
    KeepIndices,

    /// <summary>Every visual token (the unmodified model).</summary>
    All,
}
