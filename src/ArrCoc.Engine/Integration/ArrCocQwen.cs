using ArrCoc.Core.Attending;
using ArrCoc.Engine.Analysis;
using ArrCoc.Engine.Answering;
using ArrCoc.Engine.Images;
using ArrCoc.Qwen3VL;
using ArrCoc.Qwen3VL.Generation;
using static TorchSharp.torch;

namespace ArrCoc.Engine.Integration;

// Shapes: N = Rows·Columns merged tokens (cells), K kept, S full prompt tokens, S' = S − N + K, D text hidden.

/// <summary>
/// ARR-COC × Qwen3-VL (the seed's integration.py). One grid for both: the image is resized once to Rows × Columns
/// cells of 32 × 32 pixels (<see cref="PreparedImage"/>), ARR-COC's texture cell (row, col) and Qwen3-VL's merged
/// token row·Columns + col are made from those same pixels. The vision encoder sees the whole image; the K kept rows
/// of its merged embeddings (and of every DeepStack feature) fill K &lt;|image_pad|&gt; slots in raster order, each at
/// the (t, h, w) it has in the full prompt, and the text after the image keeps its full-prompt positions.
/// Qwen3-VL is frozen (no parameter requires a gradient). Not thread-safe: one request at a time.
/// </summary>
public sealed class ArrCocQwen : IDisposable
{
    ArrCocQwen(Qwen3VLPipeline qwen, string modelId, RelevanceAnalyzer analyzer, ModelQueryEmbedder queryEmbedder)
    {
        Qwen = qwen;
        ModelId = modelId;
        Analyzer = analyzer;
        QueryEmbedder = queryEmbedder;
    }

    public Qwen3VLPipeline Qwen { get; }

    /// <summary>Hub id or folder the model came from, as shown in outputs.</summary>
    public string ModelId { get; }

    /// <summary>ARR-COC with the model's query embedding (D = the model's hidden size).</summary>
    public RelevanceAnalyzer Analyzer { get; }

    public ModelQueryEmbedder QueryEmbedder { get; }

    /// <summary>Load a checkpoint folder and ARR-COC's weights (options.Checkpoint, or seeded) for its hidden size.</summary>
    public static ArrCocQwen Load(string modelDir, string modelId, ArrCocOptions options, ImageLimitsOptions limits)
    {
        var qwen = Qwen3VLPipeline.Load(modelDir);
        try
        {
            return Create(qwen, modelId, options, limits);
        }
        catch
        {
            qwen.Dispose();
            throw;
        }
    }

    /// <summary>Wrap a loaded model (frozen here) with ARR-COC.</summary>
    public static ArrCocQwen Create(Qwen3VLPipeline qwen, string modelId, ArrCocOptions options, ImageLimitsOptions limits)
    {
        foreach (var parameter in qwen.Model.parameters()) parameter.requires_grad = false;
        var embedder = new ModelQueryEmbedder(qwen, modelId);
        return new ArrCocQwen(qwen, modelId, new RelevanceAnalyzer(options, limits, embedder), embedder);
    }

    /// <summary>
    /// Qwen3-VL's view of the prepared image (fixed grid: exactly the image's Rows × Columns cells, from the same
    /// resized pixels, so the processor does not resize again) and the question: processor, chat template, vision
    /// tower, placeholder scatter, get_rope_index. No gradients. <paramref name="timingsMs"/> receives
    /// "processor", "vision_encoder" and "prompt" milliseconds.
    /// </summary>
    public PreparedPrompt PreparePrompt(PreparedImage image, string question, IDictionary<string, double>? timingsMs = null)
    {
        Analyzer.ValidateQuestion(question);
        return Qwen.Prepare(image.Resized.ToRgbImage(), question, (image.Rows, image.Columns), timingsMs);
    }

    /// <summary>
    /// The prompt reduced to the kept cells (ascending raster indices, each in 0..N−1, no duplicates).
    /// <paramref name="keptRows"/> [K, D] replaces the kept image embeddings (the straight-through rows in training).
    /// </summary>
    public PrunedPrompt Select(PreparedPrompt prompt, IReadOnlyList<int> kept, Tensor? keptRows = null)
    {
        ValidateKept(kept, MergedTokens(prompt));
        return PrunedPrompt.KeepImageTokens(Qwen.Model.Model, prompt, kept.Select(i => (long)i).ToArray(), keptRows);
    }

    /// <summary>Kept cell indices must be unique, in 0..N−1, at least one; returned ascending.</summary>
    public static int[] ValidateKept(IReadOnlyList<int> kept, int cells)
    {
        if (kept.Count == 0) throw new ArgumentException("the kept cells are empty; keep at least one");
        var sorted = kept.Order().ToArray();
        for (int i = 0; i < sorted.Length; i++)
        {
            if (sorted[i] < 0 || sorted[i] >= cells)
                throw new ArgumentOutOfRangeException(nameof(kept), $"kept cell {sorted[i]} is outside the grid's {cells} cells (0..{cells - 1})");
            if (i > 0 && sorted[i] == sorted[i - 1])
                throw new ArgumentException($"kept cell {sorted[i]} is listed twice");
        }
        return sorted;
    }

    /// <summary>Stream the answer from a prefill (all tokens: <see cref="PreparedPrompt.ToPrefill"/>; kept: <see cref="PrunedPrompt.ToPrefill"/>).</summary>
    public IAsyncEnumerable<string> GenerateAsync(Prefill prefill, AnswerSettings settings, GenerationTrace trace, CancellationToken cancellationToken = default) =>
        Qwen.Generator.GenerateAsync(prefill, settings.ToGenerationOptions(Qwen), trace, cancellationToken);

    /// <summary>The number of image tokens of a prepared prompt (N).</summary>
    public static int MergedTokens(PreparedPrompt prompt) =>
        (int)(prompt.VisualPositions?.shape[0] ?? throw new ArgumentException("the prompt has no image"));

    /// <summary>K must be in 1..N (the same check ARR-COC's allocator makes).</summary>
    public static void ValidateK(int k, int cells) => TokenAllocator.ValidateK(k, cells);

    public void Dispose() => Qwen.Dispose();
}
