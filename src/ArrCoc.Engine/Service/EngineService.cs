using ArrCoc.Engine.Analysis;
using ArrCoc.Engine.Images;
using ArrCoc.Engine.Integration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Processing;

namespace ArrCoc.Engine.Service;

/// <summary>
/// The engine as the UI sees it (thread-safe; one per app): load images, analyze, answer — each through the single
/// inference worker's queue, with queue positions, cancellation and a polite "busy" when the line is full. Results
/// are plain records; tensors never leave the engine.
/// </summary>
public sealed class EngineService
{
    readonly InferenceQueue queue;
    readonly ModelHost model;
    readonly ImageStore images;
    readonly CheckpointLibrary checkpoints;
    readonly ArrCocOptions arrCoc;
    readonly EngineOptions engine;
    readonly ILogger<EngineService> logger;

    public EngineService(InferenceQueue queue, ModelHost model, ImageStore images, CheckpointLibrary checkpoints, IOptions<ArrCocOptions> arrCoc,
        IOptions<ImageLimitsOptions> limits, IOptions<EngineOptions> engine, ILogger<EngineService> logger)
    {
        this.queue = queue;
        this.model = model;
        this.images = images;
        this.checkpoints = checkpoints;
        this.arrCoc = arrCoc.Value;
        this.engine = engine.Value;
        this.logger = logger;
        Settings = new EngineSettings
        {
            DefaultK = this.arrCoc.K,
            MaxQuestionChars = this.arrCoc.MaxQuestionChars,
            ImageLimits = limits.Value,
            QueueCapacity = queue.Capacity,
            MaxAnswerTokens = this.engine.MaxAnswerTokens,
            Checkpoints = checkpoints.Configured,
        };
    }

    public EngineSettings Settings { get; }

    public ModelStatus ModelStatus => model.Status;

    /// <summary>Requests waiting for the worker now.</summary>
    public int Waiting => queue.Waiting;

    /// <summary>Prepared images held for open sessions now.</summary>
    public int ImagesHeld => images.Count;

    /// <summary>Hear about model status changes (on a background thread); dispose to stop.</summary>
    public IDisposable OnModelStatusChanged(Action<ModelStatus> handler) => model.Subscribe(handler);

    /// <summary>Why a question cannot be asked, or null when it can.</summary>
    public string? CheckQuestion(string? question) => RelevanceAnalyzer.CheckQuestion(question, arrCoc.MaxQuestionChars);

    /// <summary>Why K cannot be used on a grid of <paramref name="cells"/>, or null when it can.</summary>
    public static string? CheckK(int k, int cells) =>
        k < 1 || k > cells ? $"K must be between 1 and {cells} (the cells of this grid); got {k}" : null;

    /// <summary>Decode an image (limits checked before decoding), resize it to its grid and hold it for later requests.</summary>
    public Task<ImageHandle> LoadImageAsync(ImageInput input, IProgress<int>? position = null, CancellationToken cancellationToken = default)
    {
        Settings.ImageLimits.CheckFileSize(input.Bytes.Length, input.Name);
        return queue.EnqueueAsync("load " + input.Name, (context, _) =>
        {
            var prepared = context.Analyzer().Prepare(input);
            try
            {
                var handle = new ImageHandle
                {
                    Id = Guid.Empty,
                    Name = prepared.Name,
                    Format = prepared.Format,
                    OriginalWidth = prepared.OriginalWidth,
                    OriginalHeight = prepared.OriginalHeight,
                    Rows = prepared.Rows,
                    Columns = prepared.Columns,
                    DecodeMs = prepared.DecodeMs,
                    DisplayPng = DisplayPng(prepared),
                };
                return handle with { Id = context.Hold(prepared) };
            }
            catch
            {
                prepared.Dispose();
                throw;
            }
        }, position, cancellationToken);
    }

    /// <summary>Every ARR-COC checkpoint on offer now: configured, in the checkpoints folder, in the Hub repository.</summary>
    public Task<CheckpointListing> ListCheckpointsAsync(CancellationToken cancellationToken = default) =>
        checkpoints.ListAsync(cancellationToken);

    /// <summary>
    /// Run ARR-COC on a held image (instant; no language model needed), with the configured weights or a chosen
    /// checkpoint (a Hub checkpoint is downloaded first, outside the worker's queue).
    /// </summary>
    public Task<AnalysisResult> AnalyzeAsync(ImageHandle image, AnalysisRequest request, CheckpointChoice? checkpoint = null,
        IProgress<int>? position = null, CancellationToken cancellationToken = default)
    {
        Validate(image, request); // bad input throws here, before anything is queued or downloaded
        return checkpoint is { NeedsDownload: true }
            ? AnalyzeDownloadedAsync(image, request, checkpoint, position, cancellationToken)
            : Analyze(image, request, checkpoint, position, cancellationToken);
    }

    async Task<AnalysisResult> AnalyzeDownloadedAsync(ImageHandle image, AnalysisRequest request, CheckpointChoice checkpoint,
        IProgress<int>? position, CancellationToken cancellationToken)
    {
        var local = await checkpoints.ResolveAsync(checkpoint, cancellationToken).ConfigureAwait(false);
        return await Analyze(image, request, local, position, cancellationToken).ConfigureAwait(false);
    }

    Task<AnalysisResult> Analyze(ImageHandle image, AnalysisRequest request, CheckpointChoice? checkpoint,
        IProgress<int>? position, CancellationToken cancellationToken) =>
        queue.EnqueueAsync("analyze " + image.Name, (context, _) =>
        {
            var prepared = context.Image(image);
            var analysis = context.Analyzer(checkpoint).Analyze(prepared, request);
            // With a model loaded, the analysis also carries the prompt it would get (view 8, the inspector).
            return context.Answerer is { } answerer ? answerer.WithPrompt(prepared, analysis) : analysis;
        }, position, cancellationToken);

    /// <summary>
    /// Answer a question about a held image with the language model, from the cells ARR-COC keeps (or all of them,
    /// or explicit ones): the same request and result as `arrcoc ask`. The analysis and each piece of text are
    /// reported as they come; answers are at most Engine:MaxAnswerTokens long. Throws
    /// <see cref="AnsweringUnavailableException"/> when no model is ready.
    /// </summary>
    public Task<AskResult> AskAsync(ImageHandle image, AskRequest request, IProgress<AskUpdate>? progress = null,
        CancellationToken cancellationToken = default)
    {
        Validate(image, new AnalysisRequest { Question = request.Question, K = request.K, Ablation = request.Ablation });
        if (request.KeepIndices is { } cells) ArrCocQwen.ValidateKept(cells, image.Cells);
        if (model.Status.AnsweringDisabledReason is { } reason) throw new AnsweringUnavailableException(reason);
        if (request.Settings.MaxNewTokens > engine.MaxAnswerTokens)
            request = request with { Settings = request.Settings with { MaxNewTokens = engine.MaxAnswerTokens } };
        var position = progress is null ? null : new SyncProgress<int>(p => progress.Report(new AskUpdate.Queued(p)));
        return queue.EnqueueAsync("ask " + image.Name, (context, token) =>
        {
            var answerer = context.Answerer ?? throw new AnsweringUnavailableException(model.Status.AnsweringDisabledReason ?? "no model is ready");
            var prepared = context.Image(image);
            AnalysisResult? analysis = null;
            if (!request.AllTokens)
            {
                var attend = new AnalysisRequest { Question = request.Question, K = request.KeepIndices?.Count ?? request.K, Ablation = request.Ablation };
                analysis = context.Analyzer().Analyze(prepared, attend); // the answer carries the prompt that ran
                // Reported before the answer starts, with the positions its kept cells will have (view 8).
                if (request.KeepIndices is null && progress is not null)
                    progress.Report(new AskUpdate.Analyzed(answerer.WithPrompt(prepared, analysis)));
            }
            var result = answerer.Answer(prepared, analysis, request, piece => progress?.Report(new AskUpdate.Token(piece)), token);
            logger.LogInformation("answered from {ImageTokens} image tokens ({PromptTokens} of {FullPromptTokens} prompt tokens, {Generated} generated) in {Ms:0} ms",
                result.Prompt.ImageTokens, result.PromptTokensUsed, result.FullPromptTokens, result.GeneratedTokens, result.TimingsMs.GetValueOrDefault("total"));
            return result;
        }, position, cancellationToken);
    }

    /// <summary>Let a held image go (when its session ends or it is replaced).</summary>
    public void Release(ImageHandle image) => images.Release(image.Id);

    void Validate(ImageHandle image, AnalysisRequest request)
    {
        if (CheckQuestion(request.Question) is { } problem) throw new ArgumentException(problem);
        if (request.K is { } k && CheckK(k, image.Cells) is { } kProblem) throw new ArgumentOutOfRangeException(nameof(request), kProblem);
        request.Ablation.Validate();
    }

    static byte[] DisplayPng(PreparedImage prepared)
    {
        using var display = prepared.Resized.Clone(x => x.Resize(prepared.Columns * ImageHandle.DisplayCellPixels, prepared.Rows * ImageHandle.DisplayCellPixels));
        using var stream = new MemoryStream();
        display.SaveAsPng(stream);
        return stream.ToArray();
    }
}
