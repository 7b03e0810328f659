using ArrCoc.Core.Attending;
using ArrCoc.Engine.Analysis;
using ArrCoc.Engine.Answering;
using ArrCoc.Engine.Images;
using ArrCoc.Qwen3VL;
using ArrCoc.Qwen3VL.Generation;
using ArrCoc.Qwen3VL.Processing;
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

    /// <summary>
    /// Load a checkpoint folder (float32 on CPU by default, bfloat16 on CUDA) and ARR-COC's weights
    /// (options.Checkpoint, or seeded) for its hidden size.
    /// </summary>
    public static ArrCocQwen Load(string modelDir, string modelId, ArrCocOptions options, ImageLimitsOptions limits, Device? device = null, ScalarType? dtype = null)
    {
        var qwen = Qwen3VLPipeline.Load(modelDir, device, dtype);
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
        var embedder = new ModelQueryEmbedder(qwen, modelId, options.MaxQuestionTokens);
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
        QueryEmbedder.QuestionTokens(question); // the token limit
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

    /// <summary>
    /// Answer a question about a prepared image: the ARR-COC analysis (unless all tokens were asked for), the prompt
    /// reduced to the kept cells, streaming generation. <paramref name="onPiece"/> receives each piece of text as it
    /// is produced. Tensor work is synchronous per step; nothing awaits inside a dispose scope.
    /// </summary>
    public Task<AskResult> AskAsync(PreparedImage image, AskRequest request, Action<string>? onPiece = null, CancellationToken cancellationToken = default) =>
        AskAsync(image, analysis: null, request, onPiece, cancellationToken);

    /// <summary>
    /// <see cref="AskAsync(PreparedImage, AskRequest, Action{string}?, CancellationToken)"/> with ARR-COC's analysis
    /// of this image and question already made (the Microscope's worker reports it before the answer starts); null
    /// runs it here.
    /// </summary>
    public async Task<AskResult> AskAsync(PreparedImage image, AnalysisResult? analysis, AskRequest request, Action<string>? onPiece = null,
        CancellationToken cancellationToken = default)
    {
        var total = System.Diagnostics.Stopwatch.StartNew();
        var timings = new Dictionary<string, double> { ["decode"] = image.DecodeMs };
        var (attended, kept, selection) = Attend(image, request, timings, analysis);
        cancellationToken.ThrowIfCancellationRequested();
        using var prompt = PreparePrompt(image, request.PromptText, timings);
        return await AnswerAsync(prompt, kept, selection, attended, request.Question, request.Settings, timings, total, onPiece, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <see cref="AskAsync(PreparedImage, AskRequest, Action{string}?, CancellationToken)"/> from a prompt already
    /// prepared for this image and request.PromptText (the vision encoder runs once when the same question is
    /// answered several ways, e.g. from K kept tokens and from all of them).
    /// </summary>
    public async Task<AskResult> AskAsync(PreparedImage image, PreparedPrompt prompt, AskRequest request, Action<string>? onPiece = null, CancellationToken cancellationToken = default)
    {
        var total = System.Diagnostics.Stopwatch.StartNew();
        var timings = new Dictionary<string, double> { ["decode"] = image.DecodeMs };
        var (analysis, kept, selection) = Attend(image, request, timings, null);
        cancellationToken.ThrowIfCancellationRequested();
        return await AnswerAsync(prompt, kept, selection, analysis, request.Question, request.Settings, timings, total, onPiece, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The ARR-COC analysis, the cells to keep (both null for all tokens) and where they came from. With explicit
    /// cells the analysis is ARR-COC's own choice at the same K, for the record. Its prompt table is set after the
    /// answer, from the prompt that ran (no extra work inside the timed stages).
    /// </summary>
    (AnalysisResult? Analysis, int[]? Kept, CellSelection Selection) Attend(PreparedImage image, AskRequest request, Dictionary<string, double> timings, AnalysisResult? analysis)
    {
        if (request.AllTokens) return (null, null, CellSelection.All);
        var explicitCells = request.KeepIndices is { } cells ? ValidateKept(cells, image.Rows * image.Columns) : null;
        analysis ??= Analyzer.Analyze(image, new AnalysisRequest { Question = request.Question, K = explicitCells?.Length ?? request.K, Ablation = request.Ablation });
        foreach (var stage in new[] { "texture", "knowing", "balancing", "attending" }) timings[stage] = analysis.TimingsMs[stage];
        return explicitCells is null ? (analysis, analysis.Relevance.Kept, CellSelection.ArrCoc) : (analysis, explicitCells, CellSelection.KeepIndices);
    }

    /// <summary>The analysis with the prompt's M-RoPE table for its question and kept cells (<see cref="AnalysisResult.Prompt"/>).</summary>
    public AnalysisResult WithPrompt(PreparedImage image, AnalysisResult analysis) =>
        analysis with { Prompt = PromptPositions(image, analysis.Question, analysis.Relevance.Kept) };

    /// <summary>
    /// The unmodified model exactly as the official processor feeds it: smart_resize of the decoded image and the
    /// processor's own resize, every visual token, no ARR-COC (the baseline of `arrcoc ask --all-tokens`).
    /// </summary>
    public async Task<AskResult> AskOfficialAsync(DecodedImage image, string question, AnswerSettings settings, Action<string>? onPiece = null, CancellationToken cancellationToken = default)
    {
        var total = System.Diagnostics.Stopwatch.StartNew();
        Analyzer.ValidateQuestion(question);
        var timings = new Dictionary<string, double>();
        using var prompt = Qwen.Prepare(image.ToRgbImage(), question, fixedGrid: null, timings);
        return await AnswerAsync(prompt, null, CellSelection.All, null, question, settings, timings, total, onPiece, cancellationToken).ConfigureAwait(false);
    }

    async Task<AskResult> AnswerAsync(PreparedPrompt prompt, int[]? kept, CellSelection selection, AnalysisResult? analysis, string question, AnswerSettings settings,
        Dictionary<string, double> timings, System.Diagnostics.Stopwatch total, Action<string>? onPiece, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var pruned = kept is null ? null : Select(prompt, kept);
        timings["select"] = clock.Elapsed.TotalMilliseconds;
        var prefill = pruned?.ToPrefill() ?? prompt.ToPrefill();

        var trace = new GenerationTrace();
        var text = new System.Text.StringBuilder();
        double generationStart = total.Elapsed.TotalMilliseconds;
        await foreach (var piece in GenerateAsync(prefill, settings, trace, cancellationToken).ConfigureAwait(false))
        {
            text.Append(piece);
            onPiece?.Invoke(piece);
        }
        timings["prefill"] = trace.PrefillSeconds * 1000;
        timings["decode_tokens"] = trace.DecodeSeconds * 1000;
        // The first token is known when the prefill's logits are (greedy argmax or one sample), whether or not its
        // text is printable yet.
        timings["first_token"] = generationStart + timings["prefill"];
        timings["total"] = total.Elapsed.TotalMilliseconds;
        var tokens = Tokens(prefill.InputIds, prefill.PositionIds, kept);
        return new AskResult
        {
            ModelId = ModelId,
            Question = question,
            Analysis = analysis is null ? null : analysis with { Prompt = tokens }, // the prompt that ran
            Kept = kept,
            Selection = selection,
            Text = text.ToString(),
            Trace = trace,
            Prompt = tokens,
            FullPromptTokens = (int)prompt.InputIds.shape[1],
            ImageGridThw = prompt.Image!.ImageGridThw.data<long>().ToArray(),
            PixelValuesShape = prompt.Image.PixelValues.shape,
            TimingsMs = timings,
        };
    }

    /// <summary>
    /// The prompt's M-RoPE table for a question about an image of this grid (text and image tokens), reduced to the
    /// kept cells when given — computed from the tokenizer and get_rope_index alone (no vision encoder).
    /// </summary>
    public PromptTokens PromptPositions(PreparedImage image, string question, IReadOnlyList<int>? kept)
    {
        int merge = Qwen.Model.Config.VisionConfig.SpatialMergeSize;
        var ids = ChatTemplate.Tokenize(Qwen.Tokenizer, question, image.Rows * image.Columns);
        using var scope = NewDisposeScope();
        var inputIds = tensor(ids.Select(i => (long)i).ToArray(), [1, ids.Count], ScalarType.Int64);          // [1, S]
        var grid = tensor(new long[] { 1, (long)image.Rows * merge, (long)image.Columns * merge }, [1, 3]);  // [1, 3]
        var (positions, _) = Qwen.Model.Model.GetRopeIndex(inputIds, grid);                                  // [3, 1, S]
        var full = Tokens(inputIds, positions, null);
        return kept is null ? full : full.KeepCells(ValidateKept(kept, image.Rows * image.Columns));
    }

    /// <summary>The prompt as plain arrays; image tokens name their cell (the k-th image token is kept[k], or k).</summary>
    PromptTokens Tokens(Tensor inputIds, Tensor positionIds, int[]? kept)
    {
        using var scope = NewDisposeScope();
        var ids = inputIds.to(ScalarType.Int64, CPU).reshape(-1);                      // [L]
        var positions = positionIds.to(ScalarType.Int64, CPU).reshape(3, -1);          // [3, L]
        var idArray = ids.data<long>().ToArray();
        var flat = positions.data<long>().ToArray();
        int length = idArray.Length;
        long imageTokenId = Qwen.Model.Config.ImageTokenId;
        var cells = new int?[length];
        int imageIndex = 0;
        for (int i = 0; i < length; i++)
            if (idArray[i] == imageTokenId) cells[i] = kept is null ? imageIndex++ : kept[imageIndex++];
        var texts = idArray.Select(id => Qwen.Tokenizer.Decode([(int)id])).ToArray();
        var triples = Enumerable.Range(0, length).Select(i => (flat[i], flat[length + i], flat[2 * length + i])).ToArray();
        return new PromptTokens(idArray, texts, triples, cells);
    }

    /// <summary>The number of image tokens of a prepared prompt (N).</summary>
    public static int MergedTokens(PreparedPrompt prompt) =>
        (int)(prompt.VisualPositions?.shape[0] ?? throw new ArgumentException("the prompt has no image"));

    /// <summary>K must be in 1..N (the same check ARR-COC's allocator makes).</summary>
    public static void ValidateK(int k, int cells) => TokenAllocator.ValidateK(k, cells);

    public void Dispose()
    {
        Analyzer.Dispose();
        Qwen.Dispose();
    }
}
