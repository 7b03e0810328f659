namespace ArrCoc.Engine.Training;

/// <summary>What a finished run reports.</summary>
public sealed record TrainingResult
{
    /// <summary>The checkpoint of the last step.</summary>
    public required TrainingCheckpoint Final { get; init; }

    /// <summary>Steps taken in this session (fewer than the run's total after a resume).</summary>
    public required int StepsThisSession { get; init; }

    /// <summary>Every step of this session.</summary>
    public required IReadOnlyList<TrainingStep> Steps { get; init; }

    public required double ElapsedSeconds { get; init; }

    public required double ExamplesPerSecond { get; init; }
}
