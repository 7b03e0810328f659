using ArrCoc.Engine.Analysis;
using ArrCoc.Engine.Images;

namespace ArrCoc.Engine.Vqa;

/// <summary>One visual question with its human answers (VQAv2 gives 10).</summary>
public sealed record VqaExample
{
    /// <summary>Question id (VQAv2 question_id, or the line number of a JSONL file).</summary>
    public required long QuestionId { get; init; }

    /// <summary>Full path of the image file.</summary>
    public required string ImagePath { get; init; }

    public required string Question { get; init; }

    /// <summary>The human answers as given (not normalised).</summary>
    public required IReadOnlyList<string> Answers { get; init; }

    /// <summary>VQAv2 answer_type ("yes/no", "number", "other"), if known.</summary>
    public string? AnswerType { get; init; }

    /// <summary>The training target: the most frequent human answer (ties: the first given).</summary>
    public string TargetAnswer =>
        Answers.Select((a, i) => (Answer: a, Index: i))
            .GroupBy(x => x.Answer)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Min(x => x.Index))
            .First().Key;

    /// <summary>
    /// Decode this example's image and resize it to <paramref name="grid"/> with <paramref name="analyzer"/>'s limits;
    /// an unreadable image is an <see cref="InvalidDataException"/> naming the question and the file.
    /// </summary>
    public PreparedImage PrepareImage(RelevanceAnalyzer analyzer, GridSpec grid)
    {
        try
        {
            return analyzer.Prepare(ImageInput.FromFile(ImagePath, analyzer.Loader.Limits), grid);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException)
        {
            throw new InvalidDataException($"question {QuestionId}: image {ImagePath}: {e.Message}", e);
        }
    }
}
