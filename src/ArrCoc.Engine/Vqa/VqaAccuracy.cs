using System.Text.RegularExpressions;

namespace ArrCoc.Engine.Vqa;

/// <summary>
/// The official VQA accuracy (GT-Vision-Lab/VQA, PythonEvaluationTools/vqaEvaluation/vqaEval.py), reproduced
/// rule for rule: the machine answer is normalised (punctuation, number words → digits, articles dropped,
/// contractions); human answers get only the punctuation step, and only when they are not all identical; each of
/// the 10 humans is left out in turn and the answer scores min(#matching other humans / 3, 1); the score is the
/// mean over those 10 subsets of 9.
/// </summary>
public static partial class VqaAccuracy
{
    static readonly string[] Punctuation = [";", ":", "/", "'", "[", "]", "\"", "(", ")", "=", "+", "\\", "_", ">", "<", "@", "`", ",", "?"];

    static readonly Dictionary<string, string> NumberWords = new()
    {
        ["none"] = "0", ["zero"] = "0", ["one"] = "1", ["two"] = "2", ["three"] = "3", ["four"] = "4",
        ["five"] = "5", ["six"] = "6", ["seven"] = "7", ["eight"] = "8", ["nine"] = "9", ["ten"] = "10",
    };

    static readonly HashSet<string> Articles = ["a", "an", "the"];

    // The official pattern "(?!<=\d)(\.)(?!\d)" begins with a look-ahead (not a look-behind): in effect it removes
    // every '.' that is not followed by a digit. Reproduced as written.
    [GeneratedRegex(@"(?!<=\d)(\.)(?!\d)")]
    private static partial Regex PeriodStrip();

    [GeneratedRegex(@"(\d)(,)(\d)")]
    private static partial Regex CommaStrip();

    /// <summary>The punctuation step (applied to machine and, conditionally, human answers).</summary>
    public static string ProcessPunctuation(string text)
    {
        var output = text;
        bool hasDigitComma = CommaStrip().IsMatch(text);
        foreach (var p in Punctuation)
        {
            // As the original: the test looks at the input text, the replacement acts on the running output.
            bool remove = text.Contains(p + " ", StringComparison.Ordinal) || text.Contains(" " + p, StringComparison.Ordinal) || hasDigitComma;
            output = output.Replace(p, remove ? "" : " ", StringComparison.Ordinal);
        }
        return PeriodStrip().Replace(output, "");
    }

    /// <summary>The second step for machine answers: lower case, number words → digits, no articles, contractions.</summary>
    public static string ProcessDigitArticle(string text)
    {
        var words = text.ToLowerInvariant()
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(w => NumberWords.GetValueOrDefault(w, w))
            .Where(w => !Articles.Contains(w))
            .Select(w => VqaContractions.Map.GetValueOrDefault(w, w));
        return string.Join(' ', words);
    }

    /// <summary>The machine answer as the evaluator compares it.</summary>
    public static string NormalizeAnswer(string answer) =>
        ProcessDigitArticle(ProcessPunctuation(answer.Replace('\n', ' ').Replace('\t', ' ').Trim()));

    /// <summary>Accuracy in [0, 1] of one machine answer against the human answers (usually 10).</summary>
    public static double Score(string answer, IReadOnlyList<string> humanAnswers)
    {
        if (humanAnswers.Count == 0) throw new ArgumentException("a question needs at least one human answer", nameof(humanAnswers));
        var machine = NormalizeAnswer(answer);
        var humans = humanAnswers.Distinct().Count() > 1 ? humanAnswers.Select(ProcessPunctuation).ToArray() : humanAnswers.ToArray();
        double total = 0;
        for (int leftOut = 0; leftOut < humans.Length; leftOut++)
        {
            int matching = 0;
            for (int i = 0; i < humans.Length; i++)
                if (i != leftOut && humans[i] == machine) matching++;
            total += Math.Min(1.0, matching / 3.0);
        }
        return total / humans.Length;
    }
}
