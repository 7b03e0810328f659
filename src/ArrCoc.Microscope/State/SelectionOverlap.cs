namespace ArrCoc.Microscope.State;

/// <summary>How alike two selections of kept cells are.</summary>
public static class SelectionOverlap
{
    /// <summary>Cells kept by both.</summary>
    public static int Shared(IReadOnlyCollection<int> a, IReadOnlyCollection<int> b) => a.Intersect(b).Count();

    /// <summary>Jaccard index |A ∩ B| / |A ∪ B| in [0, 1] (1 for two empty sets).</summary>
    public static double Jaccard(IReadOnlyCollection<int> a, IReadOnlyCollection<int> b)
    {
        int shared = Shared(a, b);
        int union = a.Count + b.Count - shared;
        return union == 0 ? 1 : (double)shared / union;
    }

    /// <summary>The pairwise Jaccard matrix of several selections.</summary>
    public static double[][] Matrix(IReadOnlyList<IReadOnlyCollection<int>> selections) =>
        selections.Select(a => selections.Select(b => Jaccard(a, b)).ToArray()).ToArray();
}
