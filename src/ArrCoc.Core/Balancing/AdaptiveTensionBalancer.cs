using ArrCoc.Core.Texture;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ArrCoc.Core.Balancing;

/// <summary>
/// Opponent processing: a small query-aware MLP that weights the three ways of knowing.
/// Input: [mean, max, std] of the information, perspectival and participatory maps (9 values; std unbiased)
/// ++ the query embedding [D]. MLP (9 + D → 128 → 128 → 3, ReLU) then softmax = weights
/// (information, perspectival, participatory). balanced = Σ weight_i · map_i, min-max normalised.
/// Parameter names are the seed's: weight_predictor.0/.2/.4 (.5 is the parameter-free softmax).
/// Shapes: B images, N = Gh·Gw cells, D query dimension.
/// </summary>
public sealed class AdaptiveTensionBalancer : Module<Tensor, Tensor, Tensor>
{
    /// <summary>Hidden width of the MLP, as the seed.</summary>
    public const int HiddenDim = 128;

    /// <summary>Summary statistics: 3 maps × (mean, max, std).</summary>
    public const int SummaryDim = 9;

    private readonly Sequential weight_predictor;

    public AdaptiveTensionBalancer(int queryDim) : base(nameof(AdaptiveTensionBalancer))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(queryDim, 1);
        QueryDim = queryDim;
        weight_predictor = Sequential(
            Linear(SummaryDim + queryDim, HiddenDim),   // weight_predictor.0: [128, 9 + D]
            ReLU(),                                     // .1
            Linear(HiddenDim, HiddenDim),               // .2: [128, 128]
            ReLU(),                                     // .3
            Linear(HiddenDim, WaysOfKnowing.Count),     // .4: [3, 128]
            Softmax(-1));                               // .5
        RegisterComponents();
    }

    /// <summary>Query dimension D, e.g. 2048.</summary>
    public int QueryDim { get; }

    /// <summary>[mean, max, std] of each map, in (information, perspectival, participatory) order.</summary>
    /// <param name="maps">[B, 3, N] the three maps, flattened.</param>
    /// <returns>[B, 9].</returns>
    public static Tensor Summaries(Tensor maps)
    {
        using var scope = NewDisposeScope();
        var mean = maps.mean([2]);                                          // [B, 3]
        var max = maps.amax([2]);                                            // [B, 3]
        var std = maps.std(2, unbiased: true);                              // [B, 3]
        var summaries = stack([mean, max, std], dim: 2).flatten(1);         // [B, 3, 3] -> [B, 9]
        return summaries.MoveToOuterDisposeScope();
    }

    /// <summary>Learned weights of the three ways of knowing.</summary>
    /// <param name="maps">[B, 3, N] information, perspectival, participatory maps.</param>
    /// <param name="query">[B, D].</param>
    /// <returns>[B, 3] weights, each row summing to 1.</returns>
    public override Tensor forward(Tensor maps, Tensor query)
    {
        if (query.dim() != 2 || query.shape[1] != QueryDim)
            throw new ArgumentException($"query embedding must be [B, {QueryDim}]; got [{string.Join(", ", query.shape)}]", nameof(query));
        using var scope = NewDisposeScope();
        var input = cat([Summaries(maps), query], dim: 1);                  // [B, 9 + D]
        return weight_predictor.forward(input).MoveToOuterDisposeScope();   // [B, 3]
    }

    /// <summary>Apply an ablation to learned weights: fixed weights replace them; disabled ways get 0; renormalise.</summary>
    /// <param name="weights">[B, 3] learned weights.</param>
    /// <returns>[B, 3] weights summing to 1 (gradients flow through the learned weights when no fixed weights are set).</returns>
    public static Tensor ApplyOverride(Tensor weights, BalancerOverride ablation)
    {
        if (ablation.IsNone) return weights.alias();
        ablation.Validate();
        using var scope = NewDisposeScope();
        var basis = ablation.FixedWeights is { } fixedWeights
            ? tensor(fixedWeights.Select(w => (float)w).ToArray(), dtype: weights.dtype, device: weights.device).expand_as(weights)
            : weights;                                                      // [B, 3]
        using var mask = tensor(ablation.EnabledMask(), dtype: weights.dtype, device: weights.device);
        var masked = basis * mask;                                          // [B, 3]
        var sum = masked.sum(1, keepdim: true);                             // [B, 1]
        // Learned softmax weights of enabled ways are all positive, so sum > 0; fixed weights were validated.
        return (masked / sum).MoveToOuterDisposeScope();
    }

    /// <summary>balanced = Σ weight_i · map_i, then min-max normalised per image.</summary>
    /// <param name="maps">[B, 3, N].</param>
    /// <param name="weights">[B, 3].</param>
    /// <returns>[B, N] in [0, 1].</returns>
    public static Tensor Combine(Tensor maps, Tensor weights)
    {
        using var scope = NewDisposeScope();
        var combined = (maps * weights.unsqueeze(2)).sum(1);                // [B, 3, N] -> [B, N]
        var normalised = TextureArray.MinMaxPerImage(combined.unsqueeze(1)); // [B, 1, N]
        return normalised.squeeze(1).MoveToOuterDisposeScope();             // [B, N]
    }
}
