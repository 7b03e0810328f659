using ArrCoc.Engine.Analysis;
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
    /// Answer <see cref="AnswerInput.Question"/> about <paramref name="image"/> from the kept cells (or all of them),
    /// reporting each piece of generated text to <paramref name="tokens"/> as it is produced, and stopping with
    /// <see cref="OperationCanceledException"/> soon after <paramref name="cancellationToken"/> fires.
    /// </summary>
    AnswerOutput Answer(PreparedImage image, AnswerInput input, IProgress<string> tokens, CancellationToken cancellationToken);
}

/// <summary>One answer to make: the question, which cells' tokens to use (raster order) and the length limit.</summary>
/// <param name="KeptCells">Kept cell indices ascending, or null for all Rows·Columns tokens.</param>
public sealed record AnswerInput(string Question, IReadOnlyList<int>? KeptCells, int Rows, int Columns, int MaxNewTokens);

/// <summary>What an answerer produced: the text, token counts, its own timings and the prompt's M-RoPE position table.</summary>
public sealed record AnswerOutput
{
    public required string Text { get; init; }

    /// <summary>Tokens in the prompt (text and image).</summary>
    public required int PromptTokens { get; init; }

    /// <summary>Image tokens in the prompt: K, or Rows·Columns for all tokens.</summary>
    public required int ImageTokens { get; init; }

    public required int GeneratedTokens { get; init; }

    /// <summary>Stage → milliseconds, e.g. vision, prefill, generate.</summary>
    public required IReadOnlyDictionary<string, double> TimingsMs { get; init; }

    /// <summary>The prompt's positions (text and image tokens); null when the answerer cannot tell.</summary>
    public PositionTable? Positions { get; init; }
}
