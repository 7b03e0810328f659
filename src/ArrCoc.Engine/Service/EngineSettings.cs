using ArrCoc.Engine.Images;

namespace ArrCoc.Engine.Service;

/// <summary>The limits and choices the UI needs to validate input and offer options (plain data).</summary>
public sealed record EngineSettings
{
    /// <summary>Default cells kept, e.g. 200.</summary>
    public required int DefaultK { get; init; }

    public required int MaxQuestionChars { get; init; }

    public required ImageLimitsOptions ImageLimits { get; init; }

    public required int QueueCapacity { get; init; }

    public required int MaxAnswerTokens { get; init; }

    /// <summary>ARR-COC weights on offer; the first is the configured default.</summary>
    public required IReadOnlyList<CheckpointChoice> Checkpoints { get; init; }
}
