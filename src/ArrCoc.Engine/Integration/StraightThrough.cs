using static TorchSharp.torch;

namespace ArrCoc.Engine.Integration;

/// <summary>
/// Top-K is not differentiable, so the kept rows are multiplied by s / stop_grad(s), s = their balanced scores:
/// the factor is exactly 1 in the forward pass (x / x = 1 in IEEE arithmetic; a score of exactly 0 uses
/// 1 + (s − stop_grad(s)), also exactly 1), while d factor / d s = 1 / s carries the loss back to the balancer and
/// the participatory scorer. Shapes: K kept rows, D hidden.
/// </summary>
public static class StraightThrough
{
    /// <param name="keptRows">[K, D] the kept image embeddings (no gradient needed: Qwen3-VL is frozen).</param>
    /// <param name="keptScores">[K] their balanced scores, with the gradient graph of ARR-COC's learned parts.</param>
    /// <returns>[K, D] equal to <paramref name="keptRows"/> value for value, differentiable in the scores.</returns>
    public static Tensor Apply(Tensor keptRows, Tensor keptScores)
    {
        if (keptScores.dim() != 1 || keptRows.dim() != 2 || keptScores.shape[0] != keptRows.shape[0])
            throw new ArgumentException($"{keptRows.shape[0]} kept rows but {keptScores.shape[0]} scores");
        using var scope = NewDisposeScope();
        var s = keptScores.to(ScalarType.Float32);                                     // [K]
        var stopped = s.detach();                                                      // [K]
        var positive = stopped > 0;                                                    // [K]
        var ratio = s / where(positive, stopped, ones_like(stopped));                  // [K], exactly 1 where s > 0
        var zeroSafe = (s - stopped) + 1.0f;                                           // [K], 1 everywhere
        var factor = where(positive, ratio, zeroSafe);                                 // [K] exactly 1, finite gradients
        return (keptRows * factor.unsqueeze(1).to(keptRows.dtype)).MoveToOuterDisposeScope(); // [K, D]
    }
}
