namespace ArrCoc.Engine.Training;

/// <summary>One way of answering a question: the text and its official VQA accuracy (0..1).</summary>
public sealed record ValidationAnswer(string Answer, double Accuracy);

/// <summary>One line of the per-question file: both answers to the same question on the same grid.</summary>
public sealed record ValidationRecord
{
    public required long QuestionId { get; init; }

    /// <summary>Image file name, e.g. COCO_val2014_000000000042.jpg.</summary>
    public required string Image { get; init; }

    public required string Question { get; init; }

    /// <summary>VQAv2 answer_type ("yes/no", "number", "other"), if known.</summary>
    public string? AnswerType { get; init; }

    /// <summary>The human answers as given.</summary>
    public required IReadOnlyList<string> Answers { get; init; }

    /// <summary>From the K cells ARR-COC keeps.</summary>
    public required ValidationAnswer ArrCoc { get; init; }

    /// <summary>From every visual token of the same grid (the baseline).</summary>
    public required ValidationAnswer AllTokens { get; init; }

    /// <summary>Cells kept (ascending).</summary>
    public required int[] Kept { get; init; }

    /// <summary>Cells of the grid, e.g. 1024.</summary>
    public required int Cells { get; init; }
}

/// <summary>Accuracy of both ways over a group of questions (all, or one answer type).</summary>
public sealed record ValidationScore(int Questions, double ArrCocAccuracy, double AllTokensAccuracy)
{
    /// <summary>ARR-COC's accuracy as a fraction of the all-tokens accuracy; null when that is 0.</summary>
    public double? Retention => AllTokensAccuracy > 0 ? ArrCocAccuracy / AllTokensAccuracy : null;

    public static ValidationScore Of(IReadOnlyCollection<ValidationRecord> records) => new(records.Count,
        records.Count == 0 ? 0 : records.Average(r => r.ArrCoc.Accuracy),
        records.Count == 0 ? 0 : records.Average(r => r.AllTokens.Accuracy));
}

/// <summary>What `arrcoc validate` prints: overall and per answer type, accuracies in 0..1.</summary>
public sealed record ValidationSummary
{
    public required string Model { get; init; }

    /// <summary>"untrained (seed N)" or the checkpoint path.</summary>
    public required string Checkpoint { get; init; }

    public required int K { get; init; }

    /// <summary>The grid as given, e.g. "32".</summary>
    public required string Grid { get; init; }

    public required ValidationScore Overall { get; init; }

    /// <summary>Answer type → score (questions without a type are under "unknown").</summary>
    public required IReadOnlyDictionary<string, ValidationScore> ByAnswerType { get; init; }

    public required double ElapsedSeconds { get; init; }

    /// <summary>The per-question JSONL file.</summary>
    public required string RecordsPath { get; init; }
}
