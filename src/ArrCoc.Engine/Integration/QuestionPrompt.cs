namespace ArrCoc.Engine.Integration;

/// <summary>
/// The text given to the language model for a question: the question, then an optional instruction on its own
/// line (for VQA, <see cref="ShortAnswer"/>, as Qwen-VL's VQAv2 evaluation asks). Training and validation use the
/// same composition; the query embedding always comes from the question alone.
/// </summary>
public static class QuestionPrompt
{
    /// <summary>The VQA instruction for one-word or short answers.</summary>
    public const string ShortAnswer = "Answer the question using a single word or phrase.";

    /// <summary>"question\nsuffix", or the question alone when there is no suffix.</summary>
    public static string Compose(string question, string? suffix) =>
        string.IsNullOrWhiteSpace(suffix) ? question : question.TrimEnd() + "\n" + suffix.Trim();
}
