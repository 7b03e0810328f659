using ArrCoc.Engine.Analysis;
using ArrCoc.Engine.Integration;
using ArrCoc.Engine.Query;
using ArrCoc.Engine.Service;
using ArrCoc.Qwen3VL.Generation;

namespace ArrCoc.Testing;

/// <summary>
/// A stand-in language model for tests (the real one comes with the Qwen3-VL integration): answers with a sentence
/// naming the question and the number of image tokens, one word at a time, and a prompt laid out like
/// Qwen3-VL's M-RoPE (text tokens t = h = w = index; image tokens t = s, h = s + row, w = s + column; text after the
/// image continues from s + max(rows, columns)). <see cref="Gate"/>, when set, must be released once per word.
/// </summary>
internal sealed class FakeAnswerer : IAnswerer
{
    public const string Id = "test/fake-qwen3-vl";

    public string ModelId => Id;

    public IQueryEmbedder? QueryEmbedder => null;

    /// <summary>When set, each word waits for one release (to hold an answer mid-stream).</summary>
    public SemaphoreSlim? Gate { get; set; }

    public int Calls { get; private set; }

    /// <summary>The latest request, as the engine passed it on.</summary>
    public AskRequest? LastRequest { get; private set; }

    public bool Disposed { get; private set; }

    public AskResult Answer(PreparedImage image, AnalysisResult? analysis, AskRequest request, Action<string> onPiece, CancellationToken cancellationToken)
    {
        Calls++;
        LastRequest = request;
        var kept = request.AllTokens ? null : request.KeepIndices?.Order().ToArray() ?? analysis!.Relevance.Kept;
        int imageTokens = kept?.Length ?? image.Rows * image.Columns;
        var words = $"A fake answer to \"{request.Question}\" from {imageTokens} image tokens.".Split(' ');
        var trace = new GenerationTrace { PrefillSeconds = 0.001, DecodeSeconds = 0.002, StopReason = "eos" };
        for (int i = 0; i < words.Length; i++)
        {
            Gate?.Wait(cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            onPiece(i == 0 ? words[i] : " " + words[i]);
            trace.GeneratedIds.Add(i);
        }
        var full = Prompt(request.Question, image.Rows, image.Columns);
        return new AskResult
        {
            ModelId = Id,
            Question = request.Question,
            Analysis = analysis,
            Kept = kept,
            Selection = request.AllTokens ? CellSelection.All : request.KeepIndices is null ? CellSelection.ArrCoc : CellSelection.KeepIndices,
            Text = string.Join(' ', words),
            Trace = trace,
            Prompt = kept is null ? full : full.KeepCells(kept),
            ImageGridThw = [1, image.Rows * 2, image.Columns * 2],
            PixelValuesShape = [image.Rows * image.Columns * 4, 1536],
            FullPromptTokens = full.Count,
            TimingsMs = new Dictionary<string, double> { ["prefill"] = 1, ["decode_tokens"] = 2, ["total"] = 3 },
        };
    }

    public AnalysisResult WithPrompt(PreparedImage image, AnalysisResult analysis) =>
        analysis with { Prompt = Prompt(analysis.Question, image.Rows, image.Columns).KeepCells(analysis.Relevance.Kept) };

    /// <summary>The full prompt, laid out like Qwen3-VL's M-RoPE.</summary>
    static PromptTokens Prompt(string question, int rows, int columns)
    {
        var texts = new List<string>();
        var positions = new List<(long, long, long)>();
        var cells = new List<int?>();
        void Add(string text, long t, long h, long w, int? cell = null)
        {
            texts.Add(text);
            positions.Add((t, h, w));
            cells.Add(cell);
        }
        foreach (var text in new[] { "<|im_start|>", "user", "\n", "<|vision_start|>" }) Add(text, texts.Count, texts.Count, texts.Count);
        int start = texts.Count;
        for (int cell = 0; cell < rows * columns; cell++) Add("<|image_pad|>", start, start + cell / columns, start + cell % columns, cell);
        int next = start + Math.Max(rows, columns);
        foreach (var text in new[] { "<|vision_end|>", question, "<|im_end|>" }) { Add(text, next, next, next); next++; }
        return new PromptTokens(texts.Select((_, i) => (long)i).ToArray(), [.. texts], [.. positions], [.. cells]);
    }

    public void Dispose() => Disposed = true;
}

/// <summary>Loads a <see cref="FakeAnswerer"/> after reporting a download and a load, or fails with a message.</summary>
internal sealed class FakeModelLoader(FakeAnswerer? answerer, string? failure = null) : IModelLoader
{
    public async Task<IAnswerer?> LoadAsync(IProgress<ModelLoadReport> progress, CancellationToken cancellationToken)
    {
        progress.Report(new ModelLoadReport(ModelState.Downloading, "1 of 2 files", 0.5));
        await Task.Yield();
        progress.Report(new ModelLoadReport(ModelState.Loading));
        if (failure is not null) throw new InvalidDataException(failure);
        return answerer;
    }
}
