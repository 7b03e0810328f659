using ArrCoc.Core.Balancing;
using ArrCoc.Engine.Answering;

namespace ArrCoc.Engine.Integration;

/// <summary>
/// One question to answer about a prepared image, shared by `arrcoc ask`, the benchmark and the Microscope:
/// which visual tokens to give the language model (ARR-COC's top K, an explicit list of cells, or all), the
/// balancer ablation and the decoding settings.
/// </summary>
public sealed record AskRequest
{
    public required string Question { get; init; }

    /// <summary>An instruction after the question in the chat prompt, e.g. <see cref="QuestionPrompt.ShortAnswer"/>; not part of the query embedding.</summary>
    public string? PromptSuffix { get; init; }

    /// <summary>The text the language model is asked: the question and the suffix.</summary>
    public string PromptText => QuestionPrompt.Compose(Question, PromptSuffix);

    /// <summary>Cells ARR-COC keeps; null = the configured default (e.g. 200, capped at N).</summary>
    public int? K { get; init; }

    /// <summary>Run exactly these cells (raster indices) instead of ARR-COC's choice (reproducibility, research).</summary>
    public IReadOnlyList<int>? KeepIndices { get; init; }

    /// <summary>The unmodified model: every visual token (the baseline).</summary>
    public bool AllTokens { get; init; }

    public BalancerOverride Ablation { get; init; } = BalancerOverride.None;

    public AnswerSettings Settings { get; init; } = new();
}
