using ArrCoc.Core;
using ArrCoc.Core.Balancing;

namespace ArrCoc.Engine.Analysis;

/// <summary>
/// Everything one analysis produced, as plain data (no tensors): what the CLI writes to analysis.json and the
/// Microscope's views show.
/// </summary>
public sealed record AnalysisResult
{
    public required string Question { get; init; }

    /// <summary>Cells kept.</summary>
    public required int K { get; init; }

    /// <summary>Image name (file or upload).</summary>
    public required string ImageName { get; init; }

    /// <summary>Original size before resizing to the grid.</summary>
    public required int OriginalWidth { get; init; }

    public required int OriginalHeight { get; init; }

    /// <summary>Every pipeline intermediate (grid, texture, maps, weights, kept, budgets).</summary>
    public required RelevanceResult Relevance { get; init; }

    /// <summary>"fallback" or the model id whose input embeddings made the query vector.</summary>
    public required string QueryEmbeddingSource { get; init; }

    /// <summary>[D] the query vector used.</summary>
    public required float[] QueryVector { get; init; }

    /// <summary>"untrained (seed N)" or the checkpoint path.</summary>
    public required string Checkpoint { get; init; }

    /// <summary>True when the learned parts are seeded, not trained.</summary>
    public required bool Untrained { get; init; }

    public required BalancerOverride Ablation { get; init; }

    /// <summary>Stage → milliseconds: decode, texture, knowing, balancing, attending, total.</summary>
    public required IReadOnlyDictionary<string, double> TimingsMs { get; init; }

    /// <summary>
    /// The prompt the language model gets for this selection (text tokens and the kept image tokens, each with the
    /// M-RoPE (t, h, w) it has in the full prompt), when a model is loaded; null in microscope-only mode.
    /// </summary>
    public PromptTokens? Prompt { get; init; }

    public int Rows => Relevance.Rows;

    public int Columns => Relevance.Columns;

    public bool UsesFallbackQuery => QueryEmbeddingSource == Query.FallbackQueryEmbedder.SourceName;
}
