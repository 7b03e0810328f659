using static TorchSharp.torch;

namespace ArrCoc.Qwen3VL.Generation;

// Shapes: V vocabulary; scores are one row [V] float32.

/// <summary>transformers' logits processors and warpers used by Qwen3-VL, in generate()'s order.</summary>
public static class LogitsProcessing
{
    /// <summary>
    /// RepetitionPenaltyLogitsProcessor: for every id seen so far, score / penalty if positive, score · penalty if
    /// negative.
    /// </summary>
    /// <param name="scores">[V]</param>
    /// <param name="seenIds">[n] int64</param>
    public static Tensor RepetitionPenalty(Tensor scores, Tensor seenIds, double penalty)
    {
        if (penalty == 1.0 || seenIds.NumberOfElements == 0) return scores.alias();
        using var scope = NewDisposeScope();
        var picked = scores.gather(0, seenIds);
        var penalized = where(picked.lt(0), picked * penalty, picked / penalty);
        return scores.scatter(0, seenIds, penalized).MoveToOuterDisposeScope();
    }

    /// <summary>TopKLogitsWarper: scores below the k-th largest become −inf (ties with it stay).</summary>
    public static Tensor TopK(Tensor scores, int k)
    {
        if (k <= 0 || k >= scores.shape[0]) return scores.alias();
        using var scope = NewDisposeScope();
        var kth = scores.topk(k).values[k - 1];
        return scores.masked_fill(scores.lt(kth), float.NegativeInfinity).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// TopPLogitsWarper: sort ascending, drop the tokens whose cumulative probability is ≤ 1 − p (always keeping the
    /// most likely one).
    /// </summary>
    public static Tensor TopP(Tensor scores, double p)
    {
        if (p >= 1.0) return scores.alias();
        using var scope = NewDisposeScope();
        var (sorted, indices) = scores.sort(0, descending: false);
        var cumulative = sorted.softmax(0).cumsum(0);
        var remove = cumulative.le(1 - p);
        remove[-1] = tensor(false);
        var removeOriginal = remove.scatter(0, indices, remove);
        return scores.masked_fill(removeOriginal, float.NegativeInfinity).MoveToOuterDisposeScope();
    }
}
