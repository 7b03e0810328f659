using ArrCoc.Engine.Analysis;
using ArrCoc.Engine.Images;
using ArrCoc.Engine.Query;

namespace ArrCoc.Engine.Service;

/// <summary>
/// What jobs see on the inference worker's thread: the analyzers (one per checkpoint, built on first use with the
/// model's query embedder once one is ready, else the fallback), the prepared images and the answerer.
/// </summary>
public sealed class WorkerContext
{
    const int MaxAnalyzers = 4;

    readonly ArrCocOptions options;
    readonly ImageLimitsOptions limits;
    readonly ModelHost model;
    readonly ImageStore images;
    readonly OrderedDictionary<string, RelevanceAnalyzer> analyzers = []; // least recently used first
    readonly FallbackQueryEmbedder fallback;
    IQueryEmbedder? embedderOfCache;

    internal WorkerContext(ArrCocOptions options, ImageLimitsOptions limits, ModelHost model, ImageStore images)
    {
        this.options = options;
        this.limits = limits;
        this.model = model;
        this.images = images;
        fallback = new FallbackQueryEmbedder(options.FallbackQueryDim);
    }

    /// <summary>The ready answerer, or null (microscope only).</summary>
    public IAnswerer? Answerer => model.Answerer;

    /// <summary>The analyzer for a checkpoint (null = the configured default).</summary>
    public RelevanceAnalyzer Analyzer(CheckpointChoice? checkpoint = null)
    {
        checkpoint ??= CheckpointChoice.From(options);
        var embedder = model.Answerer?.QueryEmbedder ?? fallback;
        if (!ReferenceEquals(embedder, embedderOfCache))
        {
            foreach (var old in analyzers.Values) old.Dispose();
            analyzers.Clear(); // a model became ready: its embedding (and dimension) replaces the fallback
            embedderOfCache = embedder;
        }
        var key = CacheKey(checkpoint);
        if (analyzers.Remove(key, out var analyzer))
        {
            analyzers.Add(key, analyzer); // now the most recently used
            return analyzer;
        }
        if (analyzers.Count >= MaxAnalyzers)
        {
            var evicted = analyzers.GetAt(0).Value;
            analyzers.RemoveAt(0);
            evicted.Dispose();
        }
        analyzer = new RelevanceAnalyzer(checkpoint.ApplyTo(options), limits, embedder);
        analyzers.Add(key, analyzer);
        return analyzer;
    }

    /// <summary>
    /// What identifies the weights: the seed, or the weights file and when it was written — labels repeat (a new
    /// training run writes the same step names), and a rewritten file must be read again.
    /// </summary>
    static string CacheKey(CheckpointChoice checkpoint)
    {
        if (checkpoint.Path is not { } path) return $"seed {checkpoint.Seed}";
        // Not loadable: keyed by the path; the analyzer's constructor reports why.
        return Checkpoints.CheckpointCatalog.TryResolveWeights(path) is { } weights ? $"{weights}@{File.GetLastWriteTimeUtc(weights).Ticks}" : path;
    }

    /// <summary>The prepared image behind a handle.</summary>
    public PreparedImage Image(ImageHandle handle) => images.Get(handle);

    internal Guid Hold(PreparedImage image) => images.Add(image);
}
