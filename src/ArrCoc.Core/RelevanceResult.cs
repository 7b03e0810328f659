namespace ArrCoc.Core;

/// <summary>
/// One image's pipeline result as plain arrays (no tensors): what the Engine, the CLI and the Microscope
/// consume. Maps are flattened in raster order: cell (row, col) is at row·Columns + col.
/// </summary>
public sealed record RelevanceResult
{
    /// <summary>Grid rows Gh, e.g. 32.</summary>
    public required int Rows { get; init; }

    /// <summary>Grid columns Gw, e.g. 32.</summary>
    public required int Columns { get; init; }

    /// <summary>[13][N] texture channels.</summary>
    public required float[][] Texture { get; init; }

    /// <summary>[N] information map, in [0, 1].</summary>
    public required float[] Information { get; init; }

    /// <summary>[N] perspectival map, in [0, 1].</summary>
    public required float[] Perspectival { get; init; }

    /// <summary>[N] participatory map, in [0, 1].</summary>
    public required float[] Participatory { get; init; }

    /// <summary>[N] balanced relevance (the map that decides), in [0, 1].</summary>
    public required float[] Balanced { get; init; }

    /// <summary>[3] the balancer's learned weights (information, perspectival, participatory).</summary>
    public required float[] LearnedWeights { get; init; }

    /// <summary>[3] the weights used (after any ablation).</summary>
    public required float[] Weights { get; init; }

    /// <summary>[K] kept cell indices, ascending (raster order).</summary>
    public required int[] Kept { get; init; }

    /// <summary>[K] LOD budget of each kept cell, 64..400.</summary>
    public required int[] Budgets { get; init; }

    /// <summary>Stage → milliseconds.</summary>
    public required IReadOnlyDictionary<string, double> TimingsMs { get; init; }

    /// <summary>Number of cells N = Rows · Columns.</summary>
    public int Cells => Rows * Columns;

    /// <summary>(row, col) of each kept cell.</summary>
    public IReadOnlyList<(int Row, int Column)> KeptCells => Kept.Select(i => (i / Columns, i % Columns)).ToArray();
}
