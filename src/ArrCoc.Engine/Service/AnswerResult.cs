using ArrCoc.Engine.Analysis;

namespace ArrCoc.Engine.Service;

/// <summary>Which visual tokens an answer is made from.</summary>
public enum AnswerTokens
{
    /// <summary>The K cells ARR-COC kept.</summary>
    Kept,

    /// <summary>Every cell (the unmodified model, for comparison).</summary>
    All,
}

/// <summary>Something that happened while an answer was being made, in order: queue moves, the analysis, text.</summary>
public abstract record AskUpdate
{
    /// <summary>Position in line: n ≥ 1 waiting, 0 running.</summary>
    public sealed record Queued(int Position) : AskUpdate;

    /// <summary>The ARR-COC analysis whose kept cells the answer uses (before any text).</summary>
    public sealed record Analyzed(AnalysisResult Analysis) : AskUpdate;

    /// <summary>A piece of the answer's text.</summary>
    public sealed record Token(string Text) : AskUpdate;
}

/// <summary>A finished answer: the text, where it came from, token counts, timings and the prompt's positions.</summary>
public sealed record AnswerResult
{
    public required AnswerTokens Tokens { get; init; }

    public required string Text { get; init; }

    public required string ModelId { get; init; }

    public required int PromptTokens { get; init; }

    public required int ImageTokens { get; init; }

    public required int GeneratedTokens { get; init; }

    /// <summary>Stage → milliseconds: the answerer's stages, "analysis" and "total" (both in the worker).</summary>
    public required IReadOnlyDictionary<string, double> TimingsMs { get; init; }

    /// <summary>The prompt's M-RoPE position table, when the answerer reports one.</summary>
    public PositionTable? Positions { get; init; }

    /// <summary>The analysis whose kept cells were used.</summary>
    public required AnalysisResult Analysis { get; init; }
}
