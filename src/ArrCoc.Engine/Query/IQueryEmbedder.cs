namespace ArrCoc.Engine.Query;

/// <summary>Turns a question into the query embedding [D] the participatory scorer and balancer see.</summary>
public interface IQueryEmbedder
{
    /// <summary>What produced the embedding: "fallback" or the model id (recorded in every output).</summary>
    string Source { get; }

    /// <summary>Embedding dimension D, e.g. 2048.</summary>
    int Dimension { get; }

    /// <summary>The query embedding of a question.</summary>
    float[] Embed(string question);
}
