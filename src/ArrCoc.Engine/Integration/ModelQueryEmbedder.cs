using ArrCoc.Engine.Query;
using ArrCoc.Qwen3VL;
using static TorchSharp.torch;

namespace ArrCoc.Engine.Integration;

/// <summary>
/// The query embedding of the integrated model (the seed's extract_query_embedding): the mean of the language
/// model's input embeddings over the question's own tokens — the question text alone, not the chat template.
/// Shapes: Q question tokens, D text hidden size.
/// </summary>
public sealed class ModelQueryEmbedder(Qwen3VLPipeline pipeline, string modelId, int maxQuestionTokens = 256) : IQueryEmbedder
{
    /// <summary>The model id (recorded as "query_embedding" in every output).</summary>
    public string Source { get; } = modelId;

    public int Dimension => pipeline.Model.Config.TextConfig.HiddenSize;

    /// <summary>Longest question accepted, in tokens, e.g. 256.</summary>
    public int MaxQuestionTokens { get; } = maxQuestionTokens;

    /// <summary>The question's token ids (no template, no special tokens added); a question over the limit is refused.</summary>
    public IReadOnlyList<int> QuestionTokens(string question)
    {
        var ids = pipeline.Tokenizer.Encode(question);
        if (ids.Count == 0) throw new ArgumentException("the question has no tokens; ask something about the image");
        if (ids.Count > MaxQuestionTokens)
            throw new ArgumentException($"the question is {ids.Count} tokens long; the limit is {MaxQuestionTokens}");
        return ids;
    }

    public float[] Embed(string question)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope(); // the conversions' wrappers too
        var embedding = EmbedTensor(question);
        return embedding.data<float>().ToArray();
    }

    /// <summary>
    /// The query embedding as a float32 tensor on the CPU, where ARR-COC runs (the language model may be on CUDA);
    /// a constant for ARR-COC (no gradient reaches the frozen embeddings).
    /// </summary>
    /// <returns>[D].</returns>
    public Tensor EmbedTensor(string question)
    {
        var ids = QuestionTokens(question);
        using var scope = NewDisposeScope();
        var idTensor = tensor(ids.Select(i => (long)i).ToArray(), [1, ids.Count], ScalarType.Int64, pipeline.Model.Device); // [1, Q]
        var embeddings = pipeline.Model.Model.LanguageModel.EmbedTokens(idTensor);          // [1, Q, D]
        return embeddings.to(ScalarType.Float32).mean([1]).squeeze(0).detach().cpu().MoveToOuterDisposeScope(); // [D]
    }
}
