using ArrCoc.Engine.Analysis;
using ArrCoc.Engine.Query;
using ArrCoc.Engine.Service;

namespace ArrCoc.Testing;

/// <summary>
/// A stand-in language model for tests (the real one comes with the Qwen3-VL integration): answers with a sentence
/// naming the question and the number of image tokens, one word at a time, and a position table laid out like
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

    public bool Disposed { get; private set; }

    public AnswerOutput Answer(PreparedImage image, AnswerInput input, IProgress<string> tokens, CancellationToken cancellationToken)
    {
        Calls++;
        int imageTokens = input.KeptCells?.Count ?? input.Rows * input.Columns;
        var words = $"A fake answer to \"{input.Question}\" from {imageTokens} image tokens.".Split(' ');
        for (int i = 0; i < words.Length; i++)
        {
            Gate?.Wait(cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            tokens.Report(i == 0 ? words[i] : " " + words[i]);
        }
        var positions = Positions(input);
        return new AnswerOutput
        {
            Text = string.Join(' ', words),
            PromptTokens = positions.Tokens.Count,
            ImageTokens = imageTokens,
            GeneratedTokens = words.Length,
            TimingsMs = new Dictionary<string, double> { ["prefill"] = 1, ["generate"] = 2 },
            Positions = positions,
        };
    }

    static PositionTable Positions(AnswerInput input)
    {
        var tokens = new List<TokenPosition>();
        foreach (var text in new[] { "<|im_start|>", "user", "\n", "<|vision_start|>" })
            tokens.Add(new TokenPosition(tokens.Count, text, tokens.Count, tokens.Count, tokens.Count));
        int start = tokens.Count;
        var cells = input.KeptCells ?? Enumerable.Range(0, input.Rows * input.Columns).ToArray();
        foreach (var cell in cells)
            tokens.Add(new TokenPosition(tokens.Count, "<|image_pad|>", start, start + cell / input.Columns, start + cell % input.Columns, cell));
        int next = start + Math.Max(input.Rows, input.Columns);
        foreach (var text in new[] { "<|vision_end|>", input.Question, "<|im_end|>" })
        {
            tokens.Add(new TokenPosition(tokens.Count, text, next, next, next));
            next++;
        }
        return new PositionTable(input.Rows, input.Columns, tokens);
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
