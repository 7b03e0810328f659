using static TorchSharp.torch;

namespace ArrCoc.Core;

/// <summary>
/// Every intermediate of one pipeline pass, as tensors (gradients attached where the learned parts were
/// involved). Shapes: B images, 13 channels, Gh × Gw cells, N = Gh·Gw, K kept cells.
/// Disposing disposes every tensor.
/// </summary>
public sealed class RelevanceTensors : IDisposable
{
    /// <summary>[B, 13, Gh, Gw].</summary>
    public required Tensor Texture { get; init; }

    /// <summary>[B, Gh, Gw] each, in [0, 1].</summary>
    public required Tensor Information { get; init; }

    public required Tensor Perspectival { get; init; }

    public required Tensor Participatory { get; init; }

    /// <summary>[B, 3] the balancer's own weights (information, perspectival, participatory).</summary>
    public required Tensor LearnedWeights { get; init; }

    /// <summary>[B, 3] the weights used: learned, or after the ablation override.</summary>
    public required Tensor Weights { get; init; }

    /// <summary>[B, N] balanced relevance in [0, 1].</summary>
    public required Tensor Balanced { get; init; }

    /// <summary>[B, K] int64 kept cell indices, raster order.</summary>
    public required Tensor Kept { get; init; }

    /// <summary>[B, K] int32 LOD budgets of the kept cells.</summary>
    public required Tensor Budgets { get; init; }

    /// <summary>Stage → milliseconds (texture, knowing, balancing, attending, total).</summary>
    public required IReadOnlyDictionary<string, double> TimingsMs { get; init; }

    Tensor[] All => [Texture, Information, Perspectival, Participatory, LearnedWeights, Weights, Balanced, Kept, Budgets];

    /// <summary>Move every tensor to the dispose scope outside the current one (results leaving a scope).</summary>
    public RelevanceTensors MoveToOuterDisposeScope()
    {
        foreach (var t in All) t.MoveToOuterDisposeScope();
        return this;
    }

    public void Dispose()
    {
        foreach (var t in All) t.Dispose();
    }
}
