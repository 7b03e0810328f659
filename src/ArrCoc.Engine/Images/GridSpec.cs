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

    public static GridSpec Fixed(int rows, int columns)
    {
        if (rows < 1 || columns < 1 || rows > MaxSideCells || columns > MaxSideCells)
            throw new ArgumentOutOfRangeException(nameof(rows), $"grid must be between 1 x 1 and {MaxSideCells} x {MaxSideCells} cells; got {rows} x {columns}");
        return new GridSpec { Rows = rows, Columns = columns };
    }

    public static GridSpec Auto(int maxCells)
    {
        if (maxCells < 1 || maxCells > MaxSideCells * MaxSideCells)
            throw new ArgumentOutOfRangeException(nameof(maxCells), $"max cells must be between 1 and {MaxSideCells * MaxSideCells}; got {maxCells}");
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

    /// <summary>Largest Rows × Columns ≤ maxCells whose aspect is closest to the image's.</summary>
    internal static (int Rows, int Columns) AutoGrid(int width, int height, int maxCells)
    {
        double aspect = (double)width / height; // columns / rows
        (int Rows, int Columns) best = (1, 1);
        double bestError = double.MaxValue;
        int bestCells = 0;
        for (int rows = 1; rows <= Math.Min(maxCells, MaxSideCells); rows++)
        {
            int columns = Math.Clamp((int)Math.Round(rows * aspect, MidpointRounding.ToEven), 1, MaxSideCells);
            while (columns > 1 && rows * columns > maxCells) columns--;
            if (rows * columns > maxCells) continue;
            double error = Math.Abs(Math.Log((double)columns / rows / aspect));
            int cells = rows * columns;
            // Prefer more cells; among grids within 2 % of the aspect, the one with the most cells wins.
            bool better = error <= 0.02 ? (bestError > 0.02 || cells > bestCells || (cells == bestCells && error < bestError))
                                        : (bestError > 0.02 && error < bestError);
            if (better)
            {
                best = (rows, columns);
                bestError = error;
                bestCells = cells;
            }
        }
        return best;
    }

    public override string ToString() => IsAuto ? $"auto (max {MaxCells} cells)" : $"{Rows}x{Columns}";
}
