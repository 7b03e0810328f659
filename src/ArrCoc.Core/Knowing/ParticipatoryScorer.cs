using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static TorchSharp.torch.nn.functional;

namespace ArrCoc.Core.Knowing;

/// <summary>
/// Participatory knowing ("knowing by being"): query–texture coupling. A learned 1×1-conv projection of the
/// texture into the query space (13 → 64 → D), cosine similarity with the query embedding at every cell,
/// mapped to [0, 1] with (s + 1) / 2. Parameter names are the seed's: texture_proj.0.*, texture_proj.2.*.
/// Shapes: B images, C = 13 channels, Gh × Gw cells, D query dimension (the language model's hidden size).
/// </summary>
public sealed class ParticipatoryScorer : Module<Tensor, Tensor, Tensor>
{
    /// <summary>Width of the hidden 1×1 conv, as the seed.</summary>
    public const int HiddenChannels = 64;

    private readonly Sequential texture_proj;

    public ParticipatoryScorer(int textureChannels, int queryDim) : base(nameof(ParticipatoryScorer))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(queryDim, 1);
        QueryDim = queryDim;
        texture_proj = Sequential(
            Conv2d(textureChannels, HiddenChannels, 1),   // texture_proj.0: [64, 13, 1, 1]
            ReLU(),                                       // texture_proj.1
            Conv2d(HiddenChannels, queryDim, 1));         // texture_proj.2: [D, 64, 1, 1]
        RegisterComponents();
    }

    /// <summary>Query dimension D, e.g. 2048.</summary>
    public int QueryDim { get; }

    /// <param name="texture">[B, 13, Gh, Gw].</param>
    /// <param name="query">[B, D] query embeddings.</param>
    /// <returns>[B, Gh, Gw] participatory scores in [0, 1].</returns>
    public override Tensor forward(Tensor texture, Tensor query)
    {
        if (query.dim() != 2 || query.shape[1] != QueryDim)
            throw new ArgumentException($"query embedding must be [B, {QueryDim}]; got [{string.Join(", ", query.shape)}]", nameof(query));
        using var scope = NewDisposeScope();
        var features = normalize(texture_proj.forward(texture), dim: 1);   // [B, D, Gh, Gw], unit length over D
        var q = normalize(query, dim: 1);                                   // [B, D]
        var cosine = einsum("bdhw,bd->bhw", features, q);                   // [B, Gh, Gw] in [-1, 1]
        return ((cosine + 1.0) / 2.0).MoveToOuterDisposeScope();            // [B, Gh, Gw] in [0, 1]
    }
}
