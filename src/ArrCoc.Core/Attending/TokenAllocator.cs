using static TorchSharp.torch;

namespace ArrCoc.Core.Attending;

/// <summary>
/// Realises relevance as an allocation: keeps the K most relevant cells of the balanced map (ties broken by
/// the lower index), returned in raster order, and gives each kept cell a level-of-detail budget
/// round(64 + (400 − 64) · score).
/// Shapes: B images, N = Gh·Gw cells, K kept cells.
/// </summary>
public static class TokenAllocator
{
    /// <summary>Budget of a cell with balanced score 0.</summary>
    public const int MinBudget = 64;

    /// <summary>Budget of a cell with balanced score 1.</summary>
    public const int MaxBudget = 400;

    /// <summary>Indices of the K best cells, in raster order.</summary>
    /// <param name="balanced">[B, N] balanced relevance.</param>
    /// <param name="k">Cells to keep, 1..N.</param>
    /// <returns>[B, K] int64 cell indices, ascending.</returns>
    public static Tensor SelectTopK(Tensor balanced, int k)
    {
        if (balanced.dim() != 2)
            throw new ArgumentException($"balanced map must be [B, N]; got [{string.Join(", ", balanced.shape)}]", nameof(balanced));
        ValidateK(k, (int)balanced.shape[1]);
        using var scope = NewDisposeScope();
        // A stable descending sort keeps equal scores in index order, so ties go to the lower index.
        var (_, order) = balanced.detach().sort(dim: 1, descending: true, stable: true); // [B, N]
        var best = order[.., ..k];                                          // [B, K] by rank
        var (raster, _) = best.sort(dim: 1);                                // [B, K] ascending index
        return raster.MoveToOuterDisposeScope();
    }

    /// <summary>K must be in 1..N.</summary>
    public static void ValidateK(int k, int cells)
    {
        if (k < 1 || k > cells)
            throw new ArgumentOutOfRangeException(nameof(k), k, $"K must be between 1 and the number of cells ({cells}); got {k}");
    }

    /// <summary>LOD budgets of cells.</summary>
    /// <param name="scores">[...] balanced scores in [0, 1].</param>
    /// <returns>[...] int32 budgets in [64, 400], monotone in the score.</returns>
    public static Tensor Budgets(Tensor scores)
    {
        using var scope = NewDisposeScope();
        var budgets = (MinBudget + (MaxBudget - MinBudget) * scores.detach().clamp(0, 1)).round(); // half to even, as torch.round
        return budgets.to(ScalarType.Int32).MoveToOuterDisposeScope();
    }

    /// <summary>Budget of a single score (same rounding as <see cref="Budgets"/>).</summary>
    public static int Budget(double score) =>
        (int)Math.Round(MinBudget + (MaxBudget - MinBudget) * Math.Clamp(score, 0, 1), MidpointRounding.ToEven);
}
