using System.Globalization;
using System.Text.Json;

namespace ArrCoc.Engine.Training;

/// <summary>One optimizer step as logged and reported (progress, train_log.jsonl, train_log.csv).</summary>
public sealed record TrainingStep
{
    public required int Step { get; init; }

    public required int TotalSteps { get; init; }

    /// <summary>Mean answer loss of the step's examples.</summary>
    public required double Loss { get; init; }

    public required double LearningRate { get; init; }

    /// <summary>Global gradient L2 norm before clipping.</summary>
    public required double GradNorm { get; init; }

    public required int Epoch { get; init; }

    public required long ExamplesSeen { get; init; }

    /// <summary>Training time of the run so far (all sessions), in seconds.</summary>
    public required double ElapsedSeconds { get; init; }

    /// <summary>Examples per second in this session.</summary>
    public required double ExamplesPerSecond { get; init; }

    /// <summary>Estimated seconds to the last step, from this session's pace.</summary>
    public required double EtaSeconds { get; init; }
}

/// <summary>
/// Every step of a run, in RUN/train_log.jsonl (one JSON object a line) and RUN/train_log.csv (same columns).
/// A resumed run first drops the lines after its checkpoint's step, so the log reads as one uninterrupted run.
/// </summary>
public sealed class TrainingLog : IDisposable
{
    public const string JsonlFile = "train_log.jsonl";
    public const string CsvFile = "train_log.csv";
    const string CsvHeader = "step,loss,lr,grad_norm,epoch,examples_seen,elapsed_s,examples_per_s";

    readonly StreamWriter jsonl;
    readonly StreamWriter csv;

    TrainingLog(StreamWriter jsonl, StreamWriter csv) => (this.jsonl, this.csv) = (jsonl, csv);

    /// <summary>Open the run's logs, keeping only the lines of steps up to <paramref name="keepThroughStep"/>.</summary>
    public static TrainingLog Open(string runDirectory, int keepThroughStep)
    {
        Directory.CreateDirectory(runDirectory);
        var jsonlPath = Path.Combine(runDirectory, JsonlFile);
        var csvPath = Path.Combine(runDirectory, CsvFile);
        var keptJson = Keep(jsonlPath, line => JsonStep(line), keepThroughStep);
        var keptCsv = Keep(csvPath, line => line.StartsWith("step,", StringComparison.Ordinal) ? 0 : CsvStep(line), keepThroughStep);
        if (keptCsv.Count == 0 || keptCsv[0] != CsvHeader) keptCsv.Insert(0, CsvHeader);
        File.WriteAllLines(jsonlPath, keptJson);
        File.WriteAllLines(csvPath, keptCsv);
        return new TrainingLog(new StreamWriter(jsonlPath, append: true), new StreamWriter(csvPath, append: true));
    }

    public void Append(TrainingStep step)
    {
        jsonl.WriteLine(JsonSerializer.Serialize(new
        {
            step = step.Step,
            loss = step.Loss,
            lr = step.LearningRate,
            grad_norm = step.GradNorm,
            epoch = step.Epoch,
            examples_seen = step.ExamplesSeen,
            elapsed_s = Math.Round(step.ElapsedSeconds, 3),
            examples_per_s = Math.Round(step.ExamplesPerSecond, 3),
        }));
        csv.WriteLine(string.Join(',', step.Step.ToString(CultureInfo.InvariantCulture), R(step.Loss), R(step.LearningRate), R(step.GradNorm),
            step.Epoch.ToString(CultureInfo.InvariantCulture), step.ExamplesSeen.ToString(CultureInfo.InvariantCulture),
            Math.Round(step.ElapsedSeconds, 3).ToString(CultureInfo.InvariantCulture), Math.Round(step.ExamplesPerSecond, 3).ToString(CultureInfo.InvariantCulture)));
        jsonl.Flush();
        csv.Flush();
    }

    /// <summary>The steps of a run's train_log.jsonl.</summary>
    public static IReadOnlyList<(int Step, double Loss)> ReadLosses(string runDirectory) =>
        File.ReadLines(Path.Combine(runDirectory, JsonlFile)).Where(l => l.Length > 0).Select(l =>
        {
            using var doc = JsonDocument.Parse(l);
            return (doc.RootElement.GetProperty("step").GetInt32(), doc.RootElement.GetProperty("loss").GetDouble());
        }).ToList();

    static string R(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    static List<string> Keep(string path, Func<string, int> stepOf, int keepThroughStep) =>
        File.Exists(path) ? File.ReadLines(path).Where(l => l.Length > 0 && stepOf(l) <= keepThroughStep).ToList() : [];

    static int JsonStep(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            return doc.RootElement.GetProperty("step").GetInt32();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return int.MaxValue; // a torn last line (killed mid-write) is dropped
        }
    }

    static int CsvStep(string line) =>
        int.TryParse(line.AsSpan(0, Math.Max(0, line.IndexOf(',', StringComparison.Ordinal))), NumberStyles.None, CultureInfo.InvariantCulture, out var step) ? step : int.MaxValue;

    public void Dispose()
    {
        jsonl.Dispose();
        csv.Dispose();
    }
}
