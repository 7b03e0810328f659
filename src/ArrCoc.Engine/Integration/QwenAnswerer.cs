using ArrCoc.Engine.Analysis;
using ArrCoc.Engine.Answering;
using ArrCoc.Engine.Query;
using ArrCoc.Engine.Service;
using ArrCoc.Qwen3VL.Generation;

namespace ArrCoc.Engine.Integration;

/// <summary>
/// The Microscope's answerer: Qwen3-VL through the ARR-COC integration. The engine's worker has already run the
/// analysis; this gives the model the kept cells (or all), streams the answer and reports the prompt's M-RoPE
/// table. Called on the worker thread only, one request at a time.
/// </summary>
public sealed class QwenAnswerer(ArrCocQwen model) : IAnswerer
{
    public string ModelId => model.ModelId;

    public IQueryEmbedder? QueryEmbedder => model.QueryEmbedder;

    /// <summary>The integration (for tests and tools).</summary>
    public ArrCocQwen Model => model;

    public AnswerOutput Answer(PreparedImage image, AnswerInput input, IProgress<string> tokens, CancellationToken cancellationToken)
    {
        var total = System.Diagnostics.Stopwatch.StartNew();
        var timings = new Dictionary<string, double>();
        var kept = input.KeptCells is null ? null : ArrCocQwen.ValidateKept(input.KeptCells, image.Rows * image.Columns);
        using var prompt = model.PreparePrompt(image, input.Question, timings);
        using var pruned = kept is null ? null : model.Select(prompt, kept);
        var prefill = pruned?.ToPrefill() ?? prompt.ToPrefill();
        var trace = new GenerationTrace();
        var settings = new AnswerSettings { MaxNewTokens = input.MaxNewTokens };
        var text = new System.Text.StringBuilder();
        // The generator is synchronous per step (each step's tensors in its own scope); the worker thread blocks here.
        foreach (var piece in model.GenerateAsync(prefill, settings, trace, cancellationToken).ToBlockingEnumerable(cancellationToken))
        {
            text.Append(piece);
            tokens.Report(piece);
        }
        timings["prefill"] = trace.PrefillSeconds * 1000;
        timings["generate"] = trace.DecodeSeconds * 1000;
        timings["answer"] = total.Elapsed.TotalMilliseconds;

        var positions = model.PromptPositions(image, input.Question, kept);
        return new AnswerOutput
        {
            Text = text.ToString(),
            PromptTokens = positions.Count,
            ImageTokens = positions.ImageTokens,
            GeneratedTokens = trace.GeneratedIds.Count,
            TimingsMs = timings,
            Positions = new PositionTable(image.Rows, image.Columns,
                Enumerable.Range(0, positions.Count).Select(i => new TokenPosition(i, positions.Texts[i],
                    (int)positions.Positions[i].T, (int)positions.Positions[i].H, (int)positions.Positions[i].W, positions.Cells[i])).ToArray()),
        };
    }

    public void Dispose() => model.Dispose();
}
