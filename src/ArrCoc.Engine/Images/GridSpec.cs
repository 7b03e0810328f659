using System.Globalization;

namespace ArrCoc.Engine.Images;

/// <summary>
/// How an image becomes a grid of merged-token cells (32 × 32 px each): a fixed Rows × Columns grid
/// ("32" = 32 × 32, "24x40"), or "auto": the largest grid with the image's aspect ratio and at most
/// <see cref="MaxCells"/> cells.
/// </summary>
public sealed record GridSpec
{
    /// <summary>The product default: 32 × 32 cells = a 1024 × 1024 image, 1024 merged tokens.</summary>
    public static GridSpec Default { get; } = Fixed(32, 32);

    /// <summary>Fixed rows (null for auto), e.g. 32.</summary>
    public int? Rows { get; init; }

    /// <summary>Fixed columns (null for auto), e.g. 32.</summary>
    public int? Columns { get; init; }

    /// <summary>Cell budget of the auto grid, e.g. 1024.</summary>
    public int MaxCells { get; init; } = 1024;

    public bool IsAuto => Rows is null;

    /// <summary>The largest side, in cells, accepted: 4096 px / 32 (the official processor's max_pixels side).</summary>
    public const int MaxSideCells = 128;

    /// <summary>The fewest cells a grid may have: 2 (the balancer's summaries compare cells; one cell has no spread).</summary>
    public const int MinCells = 2;

    public static GridSpec Fixed(int rows, int columns)
    {
        if (rows < 1 || columns < 1 || rows > MaxSideCells || columns > MaxSideCells || rows * columns < MinCells)
            throw new ArgumentOutOfRangeException(nameof(rows), $"grid must be between 1 x 2 (or 2 x 1) and {MaxSideCells} x {MaxSideCells} cells; got {rows} x {columns}");
        return new GridSpec { Rows = rows, Columns = columns };
    }

    public static GridSpec Auto(int maxCells)
    {
        if (maxCells < MinCells || maxCells > MaxSideCells * MaxSideCells)
            throw new ArgumentOutOfRangeException(nameof(maxCells), $"max cells must be between {MinCells} and {MaxSideCells * MaxSideCells}; got {maxCells}");
        return new GridSpec { MaxCells = maxCells };
    }

    /// <summary>Parse "32", "24x40" (rows x columns) or "auto".</summary>
    public static GridSpec Parse(string text, int maxCells = 1024)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t == "auto") return Auto(maxCells);
        var parts = t.Split('x');
        if (parts.Length is 1 or 2 && parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            int rows = int.Parse(parts[0], CultureInfo.InvariantCulture);
            int columns = parts.Length == 2 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : rows;
            return Fixed(rows, columns);
        }
        throw new FormatException($"grid '{text}' is not understood; use a number (32), ROWSxCOLUMNS (24x40) or auto");
    }

    /// <summary>The grid (rows, columns) for an image of the given size.</summary>
    public (int Rows, int Columns) Resolve(int width, int height)
    {
        if (!IsAuto) return (Rows!.Value, Columns!.Value);
        return AutoGrid(width, height, MaxCells);
    }

    /// <summary>Aspect error a grid may have and still count as "with the image's aspect": 2 %.</summary>
    const double AspectTolerance = 0.02;

    /// <summary>
    /// The grid with the most cells (≤ maxCells) whose aspect is within 2 % of the image's (ties: the closer
    /// aspect); if no grid is that close (very elongated images, tiny budgets), the closest aspect.
    /// </summary>
    internal static (int Rows, int Columns) AutoGrid(int width, int height, int maxCells)
    {
        double aspect = (double)width / height; // columns / rows
        (int Rows, int Columns) best = width >= height ? (1, 2) : (2, 1);
        (bool Close, int Cells, double Error) bestKey = (false, 0, double.MaxValue);
        for (int rows = 1; rows <= MaxSideCells; rows++)
            for (int columns = 1; columns <= MaxSideCells && rows * columns <= maxCells; columns++)
            {
                if (rows * columns < MinCells) continue;
                double error = Math.Abs(Math.Log((double)columns / rows / aspect));
                var key = (Close: error <= AspectTolerance, Cells: rows * columns, Error: error);
                bool better = key.Close != bestKey.Close ? key.Close
                    : key.Close ? key.Cells > bestKey.Cells || (key.Cells == bestKey.Cells && key.Error < bestKey.Error)
                    : key.Error < bestKey.Error || (key.Error == bestKey.Error && key.Cells > bestKey.Cells);
                if (better)
                {
                    best = (rows, columns);
                    bestKey = key;
                }
            }
        return best;
    }

    public override string ToString() => IsAuto ? $"auto (max {MaxCells} cells)" : $"{Rows}x{Columns}";
}
