using ArrCoc.Engine.Analysis;
using ArrCoc.Engine.Service;
using Microsoft.Extensions.Options;

namespace ArrCoc.Microscope.State;

/// <summary>
/// The Compare tab of one session: up to <see cref="MicroscopeOptions.MaxCompareQuestions"/> questions about the
/// session's image (weights, participatory maps and kept-set overlaps side by side), and two ARR-COC checkpoints on
/// one question.
/// </summary>
public sealed class CompareState(MicroscopeState session, EngineService engine, UserMessages messages, IOptions<MicroscopeOptions> options)
    : ChangeNotifier
{
    public int MaxQuestions { get; } = options.Value.MaxCompareQuestions;

    public List<string> Questions { get; } = ["", ""];

    public IReadOnlyList<AnalysisResult> Results { get; private set; } = [];

    /// <summary>The image the results are about (results of an earlier image are not shown).</summary>
    public Guid? ResultsImageId { get; private set; }

    /// <summary>Pairwise Jaccard overlap of the results' kept sets.</summary>
    public double[][] Overlap { get; private set; } = [];

    /// <summary>The checkpoints on offer: the configured ones until <see cref="RefreshCheckpointsAsync"/> lists the folder and the Hub repository.</summary>
    public IReadOnlyList<CheckpointChoice> Checkpoints { get; private set; } = engine.Settings.Checkpoints;

    /// <summary>Sources that could not be listed, e.g. an unreachable Hub repository.</summary>
    public IReadOnlyList<string> CheckpointProblems { get; private set; } = [];

    /// <summary>True while the list is being refreshed.</summary>
    public bool ListingCheckpoints { get; private set; }

    bool listedOnce;

    public CheckpointChoice CheckpointA { get; set; } = engine.Settings.Checkpoints[0];

    public CheckpointChoice CheckpointB { get; set; } = engine.Settings.Checkpoints[Math.Min(1, engine.Settings.Checkpoints.Count - 1)];

    public string CheckpointQuestion { get; set; } = "";

    public (AnalysisResult A, AnalysisResult B)? CheckpointResults { get; private set; }

    public Guid? CheckpointImageId { get; private set; }

    public bool CanAddQuestion => Questions.Count < MaxQuestions;

    public void AddQuestion(string text = "")
    {
        if (!CanAddQuestion) return;
        Questions.Add(text);
        NotifyChanged();
    }

    public void RemoveQuestion(int index)
    {
        if (Questions.Count <= 2 || index < 0 || index >= Questions.Count) return;
        Questions.RemoveAt(index);
        NotifyChanged();
    }

    /// <summary>Fill empty question slots from the sample's suggestions (or the session's question).</summary>
    public void Suggest()
    {
        var suggestions = (session.Sample?.Questions ?? []).Prepend(session.Question)
            .Where(q => !string.IsNullOrWhiteSpace(q)).Distinct().ToList();
        for (int i = 0; i < Questions.Count; i++)
            if (string.IsNullOrWhiteSpace(Questions[i]))
                Questions[i] = suggestions.FirstOrDefault(s => !Questions.Contains(s)) ?? "";
        if (string.IsNullOrWhiteSpace(CheckpointQuestion)) CheckpointQuestion = suggestions.FirstOrDefault() ?? "";
        NotifyChanged();
    }

    /// <summary>Analyze every non-empty question on the session's image with its K (learned weights).</summary>
    public Task CompareQuestionsAsync() => messages.TryAsync(async () =>
    {
        var image = session.Image ?? throw new ArgumentException("no image yet: upload one or choose a sample on the Ask tab");
        var questions = Questions.Where(q => !string.IsNullOrWhiteSpace(q)).ToList();
        if (questions.Count < 2) throw new ArgumentException("give at least two questions to compare");
        var results = new List<AnalysisResult>();
        foreach (var question in questions)
        {
            var request = new AnalysisRequest { Question = question, K = session.K };
            results.Add(await session.Track("Comparing", p => engine.AnalyzeAsync(image, request, null, p, session.CircuitToken)));
        }
        Results = results;
        ResultsImageId = image.Id;
        Overlap = SelectionOverlap.Matrix(results.Select(r => (IReadOnlyCollection<int>)r.Relevance.Kept).ToList());
        NotifyChanged();
    });

    /// <summary>List the checkpoints on offer the first time the session asks (the tab opens).</summary>
    public Task ListCheckpointsOnceAsync()
    {
        if (listedOnce) return Task.CompletedTask;
        listedOnce = true;
        return RefreshCheckpointsAsync();
    }

    /// <summary>List the checkpoints on offer again (local folder, Hub repository); the chosen two stay chosen.</summary>
    public Task RefreshCheckpointsAsync() => messages.TryAsync(async () =>
    {
        ListingCheckpoints = true;
        NotifyChanged();
        try
        {
            var listing = await engine.ListCheckpointsAsync(session.CircuitToken);
            Checkpoints = listing.Choices;
            CheckpointProblems = listing.Problems;
            CheckpointA = Checkpoints.FirstOrDefault(c => c.Label == CheckpointA.Label) ?? Checkpoints[0];
            CheckpointB = Checkpoints.FirstOrDefault(c => c.Label == CheckpointB.Label) ?? Checkpoints[Math.Min(1, Checkpoints.Count - 1)];
        }
        finally
        {
            ListingCheckpoints = false;
            NotifyChanged();
        }
    });

    /// <summary>Analyze one question with checkpoint A and checkpoint B.</summary>
    public Task CompareCheckpointsAsync() => messages.TryAsync(async () =>
    {
        var image = session.Image ?? throw new ArgumentException("no image yet: upload one or choose a sample on the Ask tab");
        var request = new AnalysisRequest { Question = CheckpointQuestion, K = session.K };
        var a = await session.Track("Comparing", p => engine.AnalyzeAsync(image, request, CheckpointA, p, session.CircuitToken));
        var b = await session.Track("Comparing", p => engine.AnalyzeAsync(image, request, CheckpointB, p, session.CircuitToken));
        CheckpointResults = (a, b);
        CheckpointImageId = image.Id;
        NotifyChanged();
    });
}
