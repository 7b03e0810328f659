using ArrCoc.Engine.Analysis;
using ArrCoc.Engine.Integration;
using ArrCoc.Engine.Query;

namespace ArrCoc.Engine.Service;

/// <summary>
/// A loaded vision-language model that answers from visual tokens (the integration's Qwen3-VL). Called only on the
/// inference worker's thread, one call at a time, so an implementation need not be thread-safe.
/// </summary>
public interface IAnswerer : IDisposable
{
    /// <summary>Hugging Face id or local path, as shown in the status bar and results.</summary>
    string ModelId { get; }

    /// <summary>The model's query embedding (mean of its input embeddings over the question); null keeps the fallback.</summary>
    IQueryEmbedder? QueryEmbedder { get; }

    /// <summary>
    /// Answer <paramref name="request"/> about <paramref name="image"/> from the kept cells of
    /// <paramref name="analysis"/> (or all cells when the request asks for all tokens; the analysis is then null),
    /// giving each piece of generated text to <paramref name="onPiece"/> as it is produced, and stopping with
    /// <see cref="OperationCanceledException"/> soon after <paramref name="cancellationToken"/> fires.
    /// </summary>
    AskResult Answer(PreparedImage image, AnalysisResult? analysis, AskRequest request, Action<string> onPiece, CancellationToken cancellationToken);

    /// <summary>The analysis with the prompt this model would get for its kept cells (<see cref="AnalysisResult.Prompt"/>).</summary>
    AnalysisResult WithPrompt(PreparedImage image, AnalysisResult analysis);
}
