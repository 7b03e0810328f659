using ArrCoc.Engine.Analysis;

namespace ArrCoc.Engine.Service;

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
