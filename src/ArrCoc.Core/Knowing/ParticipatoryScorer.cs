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

    /// <summary>
    /// Participatory scores without materialising the [B, D, Gh, Gw] projection. With h = ReLU(conv0(texture))
    /// [B, 64, N], W = texture_proj.2.weight [D, 64], b its bias and q̂ the unit query:
    /// q̂·(W h + b) = (q̂ W)·h + q̂·b and ‖W h + b‖² = hᵀ(WᵀW)h + 2(Wᵀb)·h + ‖b‖², so each cell costs
    /// O(64²) instead of O(64·D). Equal to <see cref="ScoreDirect"/> up to float rounding (tested); differentiable.
    /// </summary>
    /// <param name="texture">[B, 13, Gh, Gw].</param>
    /// <param name="query">[B, D] query embeddings.</param>
    /// <returns>[B, Gh, Gw] participatory scores in [0, 1].</returns>
    public override Tensor forward(Tensor texture, Tensor query)
    {
        CheckQuery(query);
        using var scope = NewDisposeScope();
        var first = (Conv2d)texture_proj[0];
        var last = (Conv2d)texture_proj[2];
        var h = relu(first.forward(texture)).flatten(2);                    // [B, 64, N]
        var w = last.weight!.flatten(1);                                    // [D, 64]
        var b = last.bias!;                                                 // [D]
        var q = normalize(query, dim: 1);                                   // [B, D]

        var u = q.matmul(w);                                                // (B, D) x (D, 64) -> (B, 64)
        var numerator = einsum("bk,bkn->bn", u, h) + q.matmul(b).unsqueeze(1); // [B, N]
        var gram = w.t().matmul(w);                                         // (64, D) x (D, 64) -> (64, 64)
        var v = w.t().matmul(b);                                            // (64, D) x (D) -> (64)
        var gh = gram.matmul(h);                                            // (64, 64) x (B, 64, N) -> (B, 64, N)
        var squared = (h * gh).sum(1) + 2 * einsum("k,bkn->bn", v, h) + b.dot(b); // [B, N]
        var norm = squared.clamp_min(0).sqrt().clamp_min(1e-12);            // [B, N] = ‖W h + b‖ (F.normalize's eps)
        var cosine = (numerator / norm).view(texture.shape[0], texture.shape[2], texture.shape[3]); // [B, Gh, Gw]
        return ((cosine + 1.0) / 2.0).MoveToOuterDisposeScope();            // [B, Gh, Gw] in [0, 1]
    }

    /// <summary>The definition, literally: project to [B, D, Gh, Gw], normalise over D, dot with the unit query.</summary>
    /// <param name="texture">[B, 13, Gh, Gw].</param>
    /// <param name="query">[B, D].</param>
    /// <returns>[B, Gh, Gw] in [0, 1].</returns>
    public Tensor ScoreDirect(Tensor texture, Tensor query)
    {
        CheckQuery(query);
        using var scope = NewDisposeScope();
        var features = normalize(texture_proj.forward(texture), dim: 1);   // [B, D, Gh, Gw], unit length over D
        var q = normalize(query, dim: 1);                                   // [B, D]
        var cosine = einsum("bdhw,bd->bhw", features, q);                   // [B, Gh, Gw] in [-1, 1]
        return ((cosine + 1.0) / 2.0).MoveToOuterDisposeScope();            // [B, Gh, Gw] in [0, 1]
    }

    void CheckQuery(Tensor query)
    {
        if (query.dim() != 2 || query.shape[1] != QueryDim)
            throw new ArgumentException($"query embedding must be [B, {QueryDim}]; got [{string.Join(", ", query.shape)}]", nameof(query));
    }
}
