using ArrCoc.Engine.Analysis;
using ArrCoc.Engine.Images;
using ArrCoc.Engine.Service;
using ArrCoc.Microscope.Hosting;

namespace ArrCoc.Microscope.State;

/// <summary>A request the session is waiting for, and its place in line (0 = running).</summary>
public sealed record Activity(string What, int Position);

/// <summary>
/// One browser session's microscope (scoped to the circuit): the image, question, K, knowing controls, the current
/// analysis, the selected cell and the streamed answers. Every action reports problems as a message and leaves what
/// was on the page in place; closing the circuit cancels its requests and lets its image go.
/// </summary>
public sealed class MicroscopeState : ChangeNotifier, IDisposable
{
    readonly EngineService engine;
    readonly DisplayImages displays;
    readonly SampleCatalog samples;
    readonly UserMessages messages;
    readonly IDisposable modelSubscription;
    readonly CancellationTokenSource circuit = new();
    CancellationTokenSource? asking;
    CancellationTokenSource? rerun;
    int? k;

    public MicroscopeState(EngineService engine, DisplayImages displays, SampleCatalog samples, UserMessages messages)
    {
        this.engine = engine;
        this.displays = displays;
        this.samples = samples;
        this.messages = messages;
        // The Ask button and the "not available" reasons follow the model (it loads in the background).
        modelSubscription = engine.OnModelStatusChanged(_ => NotifyChanged());
    }

    public EngineSettings Settings => engine.Settings;

    public ModelStatus Model => engine.ModelStatus;

    public IReadOnlyList<Sample> Samples => samples.All;

    public ImageHandle? Image { get; private set; }

    /// <summary>The bundled sample shown, if the image is one.</summary>
    public Sample? Sample { get; private set; }

    public string Question { get; set; } = "";

    /// <summary>Cells to keep; defaults to the configured K (at most the image's cells).</summary>
    public int K
    {
        get => k ?? Math.Min(Settings.DefaultK, Cells);
        set => k = value;
    }

    /// <summary>Cells of the current image's grid (the K slider's maximum); 1024 before any image.</summary>
    public int Cells => Image?.Cells ?? 1024;

    public KnowingControls Knowing { get; private set; } = KnowingControls.Learned;

    public AnalysisResult? Analysis { get; private set; }

    /// <summary>When the latest analysis finished (server clock, UTC ticks).</summary>
    public long AnalyzedTicks { get; private set; }

    public int? SelectedCell { get; private set; }

    public bool AlsoAllTokens { get; set; }

    public AnswerState KeptAnswer { get; } = new(AnswerTokens.Kept);

    public AnswerState AllAnswer { get; } = new(AnswerTokens.All);

    public Activity? Activity { get; private set; }

    /// <summary>The prompt the model gets for the latest analysis's kept cells (with a model loaded), as a position table.</summary>
    public PositionTable? Positions { get; private set; }

    /// <summary>Why there is no position table, or null when there is one.</summary>
    public string? PositionsUnavailableReason =>
        Positions is not null ? null
        : Model.AnsweringDisabledReason is { } reason ? $"no model loaded ({reason}); the positions come from the model's tokenizer"
        : Analysis is null ? "no analysis yet: press Analyze or Ask on the Ask tab"
        : "analyze again: this analysis was made before the model was ready";

    /// <summary>Why the views have nothing to show yet, or null when an analysis exists.</summary>
    public string? NoAnalysisReason => Analysis is not null ? null
        : Image is null ? "no image yet: upload one or choose a sample on the Ask tab"
        : "no analysis yet: ask a question and press Analyze on the Ask tab";

    /// <summary>An uploaded file: its size is checked before anything is read.</summary>
    public Task LoadUploadAsync(string name, long size, Func<long, CancellationToken, Task<byte[]>> read) => messages.TryAsync(async () =>
    {
        Settings.ImageLimits.CheckFileSize(size, name);
        var bytes = await read(Settings.ImageLimits.MaxFileBytes, circuit.Token);
        await LoadAsync(new ImageInput(bytes, name), null);
    });

    public Task LoadSampleAsync(string id) => messages.TryAsync(async () =>
    {
        var sample = samples.Find(id) ?? throw new ArgumentException($"no bundled sample '{id}'");
        await LoadAsync(new ImageInput(samples.Read(sample), sample.File), sample);
        if (string.IsNullOrWhiteSpace(Question)) Question = sample.Questions.FirstOrDefault() ?? "";
        NotifyChanged();
    });

    /// <summary>Run ARR-COC on the image and question (instant; no model needed).</summary>
    public Task AnalyzeAsync() => messages.TryAsync(() => AnalyzeAsync(circuit.Token));

    async Task AnalyzeAsync(CancellationToken cancellationToken)
    {
        var image = RequireReady();
        SetAnalysis(await Track("Analyzing", p => engine.AnalyzeAsync(image, Request(), null, p, cancellationToken)));
    }

    /// <summary>Stream the model's answer from the kept tokens (and from all tokens, when asked for).</summary>
    public Task AskAsync() => messages.TryAsync(async () =>
    {
        var image = RequireReady();
        if (Model.AnsweringDisabledReason is { } reason) throw new AnsweringUnavailableException(reason);
        CancelAsk();
        asking = CancellationTokenSource.CreateLinkedTokenSource(circuit.Token);
        var request = Request();
        var (keptBefore, allBefore) = (KeptAnswer.Save(), AllAnswer.Save());
        AllAnswer.Reset();
        var kept = KeptAnswer.RunAsync(engine, image, request, SetAnalysis, NotifyChanged, asking.Token);
        var all = AlsoAllTokens ? AllAnswer.RunAsync(engine, image, request, null, NotifyChanged, asking.Token) : Task.CompletedTask;
        try
        {
            await Task.WhenAll(kept, all);
        }
        catch (Exception e) when (e is not OperationCanceledException && !KeptAnswer.Received && !AllAnswer.Received)
        {
            // Refused before anything came (busy, a question over the token limit): the answers shown stay.
            KeptAnswer.Restore(keptBefore);
            AllAnswer.Restore(allBefore);
            NotifyChanged();
            throw;
        }
    });

    public void CancelAsk()
    {
        asking?.Cancel();
        asking?.Dispose();
        asking = null;
    }

    /// <summary>
    /// Change the knowing controls; an existing analysis re-runs at once. A newer change withdraws a re-run still
    /// waiting in line (dragging a weight slider queues one re-run, not one per step).
    /// </summary>
    public async Task SetKnowingAsync(KnowingControls controls)
    {
        Knowing = controls;
        NotifyChanged();
        if (Analysis is null) return;
        rerun?.Cancel();
        rerun?.Dispose();
        rerun = CancellationTokenSource.CreateLinkedTokenSource(circuit.Token);
        var token = rerun.Token;
        await messages.TryAsync(async () =>
        {
            try
            {
                await AnalyzeAsync(token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested && !circuit.IsCancellationRequested)
            {
                // superseded by a newer setting
            }
        });
    }

    public void SelectCell(int? cell)
    {
        SelectedCell = cell is { } c && c >= 0 && c < Cells ? c : null;
        NotifyChanged();
    }

    /// <summary>The request for the current question, K and knowing controls.</summary>
    public AnalysisRequest Request() => new() { Question = Question, K = K, Ablation = Knowing.ToOverride() };

    /// <summary>The image, once question and K are fine; otherwise a clear error.</summary>
    public ImageHandle RequireReady()
    {
        var image = Image ?? throw new ArgumentException("no image yet: upload one or choose a sample");
        if (engine.CheckQuestion(Question) is { } problem) throw new ArgumentException(problem);
        if (EngineService.CheckK(K, image.Cells) is { } kProblem) throw new ArgumentOutOfRangeException(nameof(K), kProblem);
        return image;
    }

    /// <summary>Run an engine call while showing what is waiting and where it stands in line.</summary>
    public async Task<T> Track<T>(string what, Func<IProgress<int>, Task<T>> call)
    {
        Activity = new Activity(what, 1);
        NotifyChanged();
        try
        {
            return await call(new SyncProgress<int>(p => { Activity = new Activity(what, p); NotifyChanged(); }));
        }
        finally
        {
            Activity = null;
            NotifyChanged();
        }
    }

    public CancellationToken CircuitToken => circuit.Token;

    async Task LoadAsync(ImageInput input, Sample? sample)
    {
        var image = await Track("Loading " + input.Name, p => engine.LoadImageAsync(input, p, circuit.Token));
        if (disposed)
        {
            engine.Release(image); // the session closed while its image was being prepared
            return;
        }
        ReleaseImage();
        Image = image;
        displays.Add(image);
        Sample = sample;
        k = Math.Clamp(k ?? Settings.DefaultK, 1, image.Cells);
        Analysis = null;
        Positions = null;
        SelectedCell = null;
        KeptAnswer.Reset();
        AllAnswer.Reset();
        NotifyChanged();
    }

    void SetAnalysis(AnalysisResult analysis)
    {
        Analysis = analysis;
        Positions = analysis.Prompt is { } prompt ? PositionTable.From(prompt, analysis.Rows, analysis.Columns) : null;
        AnalyzedTicks = DateTime.UtcNow.Ticks;
        NotifyChanged();
    }

    void ReleaseImage()
    {
        if (Image is null) return;
        displays.Remove(Image);
        engine.Release(Image);
    }

    bool disposed;

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        modelSubscription.Dispose();
        circuit.Cancel();
        CancelAsk();
        rerun?.Dispose();
        ReleaseImage();
        circuit.Dispose();
    }
}
