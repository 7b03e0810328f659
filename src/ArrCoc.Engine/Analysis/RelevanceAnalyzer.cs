using System.Diagnostics;
using ArrCoc.Core;
using ArrCoc.Engine.Images;
using ArrCoc.Engine.Query;
using static TorchSharp.torch;

namespace ArrCoc.Engine.Analysis;

/// <summary>
/// Runs ARR-COC for requests: image files → prepared images → pipeline → <see cref="AnalysisResult"/>.
/// Holds the learned weights (checkpoint or seeded) and the query embedder. Not thread-safe: one analyzer per
/// worker thread (the Microscope's inference worker; the CLI's main thread).
/// </summary>
public sealed class RelevanceAnalyzer : IDisposable
{
    readonly RelevancePipeline pipeline;

    public RelevanceAnalyzer(ArrCocOptions options, ImageLimitsOptions limits, IQueryEmbedder queryEmbedder)
    {
        Options = options;
        Loader = new ImageLoader(limits);
        QueryEmbedder = queryEmbedder;
        if (string.IsNullOrWhiteSpace(options.Checkpoint))
        {
            pipeline = new RelevancePipeline(new ArrCocModel(queryEmbedder.Dimension, options.Seed));
            Checkpoint = $"untrained (seed {options.Seed})";
            Untrained = true;
        }
        else
        {
            pipeline = new RelevancePipeline(Checkpoints.CheckpointCatalog.Load(options.Checkpoint, queryEmbedder.Dimension));
            Checkpoint = options.Checkpoint;
        }
        pipeline.Model.eval();
    }

    public ArrCocOptions Options { get; }

    public ImageLoader Loader { get; }

    public IQueryEmbedder QueryEmbedder { get; }

    /// <summary>"untrained (seed N)" or the checkpoint path.</summary>
    public string Checkpoint { get; }

    public bool Untrained { get; }

    /// <summary>The ARR-COC pipeline (for integration and training).</summary>
    public RelevancePipeline Pipeline => pipeline;

    /// <summary>Free the learned weights' native memory (a long-running server swaps checkpoints).</summary>
    public void Dispose() => pipeline.Model.Dispose();

    /// <summary>Decode (with limits), resize to the grid, convert to a tensor.</summary>
    public PreparedImage Prepare(ImageInput input, GridSpec? grid = null)
    {
        grid ??= GridSpec.Parse(Options.Grid, Options.MaxCells);
        var clock = Stopwatch.StartNew();
        using var decoded = Loader.Load(input.Bytes, input.Name);
        var (rows, columns) = grid.Resolve(decoded.Width, decoded.Height);
        var resized = ImageTensors.ResizeToGrid(decoded.Pixels, rows, columns);
        var pixels = ImageTensors.ToTensor(resized);
        pixels.DetachFromDisposeScope();
        return new PreparedImage(resized, pixels, input.Name, decoded.Format, decoded.Width, decoded.Height, rows, columns, clock.Elapsed.TotalMilliseconds);
    }

    /// <summary>Check a question before any work: not empty, not over the limit.</summary>
    public void ValidateQuestion(string? question)
    {
        if (CheckQuestion(question, Options.MaxQuestionChars) is { } problem) throw new ArgumentException(problem);
    }

    /// <summary>Why a question cannot be asked (empty, longer than <paramref name="maxChars"/>), or null when it can.</summary>
    public static string? CheckQuestion(string? question, int maxChars)
    {
        if (string.IsNullOrWhiteSpace(question)) return "the question is empty; ask something about the image";
        if (question.Length > maxChars) return $"the question is {question.Length} characters long; the limit is {maxChars}";
        return null;
    }

    /// <summary>Run the pipeline on a prepared image.</summary>
    public AnalysisResult Analyze(PreparedImage image, AnalysisRequest request)
    {
        ValidateQuestion(request.Question);
        int k = request.K ?? Math.Min(Options.K, image.Rows * image.Columns);
        Core.Attending.TokenAllocator.ValidateK(k, image.Rows * image.Columns);

        var queryVector = QueryEmbedder.Embed(request.Question);
        RelevanceResult relevance;
        using (var query = tensor(queryVector))
            relevance = pipeline.Run(image.Pixels, query, k, request.Ablation);

        var timings = new Dictionary<string, double> { ["decode"] = image.DecodeMs };
        foreach (var (stage, ms) in relevance.TimingsMs) timings[stage] = ms;
        return new AnalysisResult
        {
            Question = request.Question,
            K = k,
            ImageName = image.Name,
            OriginalWidth = image.OriginalWidth,
            OriginalHeight = image.OriginalHeight,
            Relevance = relevance,
            QueryEmbeddingSource = QueryEmbedder.Source,
            QueryVector = queryVector,
            Checkpoint = Checkpoint,
            Untrained = Untrained,
            Ablation = request.Ablation,
            TimingsMs = timings,
        };
    }
}
