using ArrCoc.Engine.Analysis;
using ArrCoc.Engine.Query;
using ArrCoc.Engine.Service;

namespace ArrCoc.Engine.Integration;

/// <summary>
/// The Microscope's answerer: Qwen3-VL through the ARR-COC integration, exactly as `arrcoc ask` runs it (the same
/// request and result records). Called on the worker thread only, one request at a time.
/// </summary>
public sealed class QwenAnswerer(ArrCocQwen model) : IAnswerer
{
    public string ModelId => model.ModelId;

    public IQueryEmbedder? QueryEmbedder => model.QueryEmbedder;

    /// <summary>The integration (for tests and tools).</summary>
    public ArrCocQwen Model => model;

    // The generator is synchronous per step (each step's tensors in its own scope); the worker thread waits here.
    public AskResult Answer(PreparedImage image, AnalysisResult? analysis, AskRequest request, Action<string> onPiece, CancellationToken cancellationToken) =>
        analysis is null
            ? model.AskAsync(image, request, onPiece, cancellationToken).GetAwaiter().GetResult()
            : model.AskAsync(image, analysis, request, onPiece, cancellationToken).GetAwaiter().GetResult();

    public AnalysisResult WithPrompt(PreparedImage image, AnalysisResult analysis) => model.WithPrompt(image, analysis);

    public void Dispose() => model.Dispose();
}
