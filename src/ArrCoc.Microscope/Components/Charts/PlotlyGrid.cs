using System.Globalization;
using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.HeatMapLib;
using ChartLayout = Plotly.Blazor.Layout;

namespace ArrCoc.Microscope.Components.Charts;

/// <summary>
/// Plotly traces and layouts for maps over the cell grid: one heatmap value per cell (never pixels), row 0 at the
/// top, square cells, an optional image underneath (by URL) and a frame around the selected cell.
/// </summary>
public static class PlotlyGrid
{
    public const string Viridis = "Viridis";

    /// <summary>LOD budget colours, as in the PNG export: 64 yellow → 400 red.</summary>
    public static readonly object BudgetScale = new object[] { new object[] { 0, "#ffff00" }, new object[] { 1, "#ff0000" } };

    /// <summary>A flat dark veil (for rejected cells).</summary>
    public static readonly object VeilScale = new object[] { new object[] { 0, "rgb(0,0,0)" }, new object[] { 1, "rgb(0,0,0)" } };

    /// <summary>A heatmap of [rows·columns] values in raster order; null values leave their cell empty.</summary>
    public static HeatMap Heatmap(IReadOnlyList<double?> values, int rows, int columns, string valueName, object colorScale,
        double zMin = 0, double zMax = 1, string? scaleTitle = null, double opacity = 1, IReadOnlyList<string>? hoverText = null)
    {
        var heatmap = new HeatMap
        {
            Name = valueName,
            X = Enumerable.Range(0, columns).Cast<object>().ToList(),
            Y = Enumerable.Range(0, rows).Cast<object>().ToList(),
            Z = Rows(values, rows, columns, v => v is { } x ? Math.Round(x, 4) : (double?)null),
            ColorScale = colorScale,
            ZMin = (decimal)zMin,
            ZMax = (decimal)zMax,
            Opacity = (decimal)opacity,
            XGap = 0,
            YGap = 0,
            ShowScale = scaleTitle is not null,
            ColorBar = scaleTitle is null ? null : new ColorBar { Title = new Plotly.Blazor.Traces.HeatMapLib.ColorBarLib.Title { Text = scaleTitle }, Thickness = 12 },
            HoverTemplate = hoverText is null
                ? $"row %{{y}}, column %{{x}}<br>{valueName} %{{z:.3f}}<extra></extra>"
                : "row %{y}, column %{x}<br>%{text}<extra></extra>",
        };
        if (hoverText is not null) heatmap.Text = Rows(hoverText, rows, columns, t => t);
        return heatmap;
    }

    /// <summary>A layout for a grid of cells, with square cells, row 0 on top and an optional image below the cells.</summary>
    public static ChartLayout Layout(int rows, int columns, int height, string? imageUrl = null, int? selectedCell = null, string? title = null)
    {
        var layout = new ChartLayout
        {
            Height = height,
            Margin = new Margin { L = 30, R = 10, T = title is null ? 10 : 30, B = 25 },
            Title = title is null ? null : new Title { Text = title },
            PaperBgColor = "rgba(0,0,0,0)",
            PlotBgColor = "rgba(0,0,0,0)",
            XAxis = [new XAxis { Range = [-0.5, columns - 0.5], ShowGrid = false, ZeroLine = false, Constrain = Plotly.Blazor.LayoutLib.XAxisLib.ConstrainEnum.Domain }],
            YAxis = [new YAxis { Range = [rows - 0.5, -0.5], ShowGrid = false, ZeroLine = false, ScaleAnchor = "x" }],
        };
        if (imageUrl is not null)
            layout.Images = [new Plotly.Blazor.LayoutLib.Image
            {
                Source = imageUrl, XRef = "x", YRef = "y", X = -0.5, Y = -0.5, SizeX = columns, SizeY = rows,
                Sizing = Plotly.Blazor.LayoutLib.ImageLib.SizingEnum.Stretch, Layer = Plotly.Blazor.LayoutLib.ImageLib.LayerEnum.Below,
                XAnchor = Plotly.Blazor.LayoutLib.ImageLib.XAnchorEnum.Left, YAnchor = Plotly.Blazor.LayoutLib.ImageLib.YAnchorEnum.Top,
            }];
        if (selectedCell is { } cell)
        {
            int row = cell / columns, column = cell % columns;
            layout.Shapes = [new Shape
            {
                Type = Plotly.Blazor.LayoutLib.ShapeLib.TypeEnum.Rect, XRef = "x", YRef = "y",
                X0 = column - 0.5, X1 = column + 0.5, Y0 = row - 0.5, Y1 = row + 0.5,
                Line = new Plotly.Blazor.LayoutLib.ShapeLib.Line { Color = "#ff00ff", Width = 2 },
            }];
        }
        return layout;
    }

    /// <summary>Config shared by the views: responsive, no logo, no link.</summary>
    public static Config Config() => new() { Responsive = true, DisplayLogo = false, ShowLink = false, DisplayModeBar = Plotly.Blazor.ConfigLib.DisplayModeBarEnum.False };

    /// <summary>The cell a click on a grid chart landed on (x = column, y = row), or null.</summary>
    public static int? CellAt(object? x, object? y, int rows, int columns)
    {
        if (!TryNumber(x, out var column) || !TryNumber(y, out var row)) return null;
        int c = (int)Math.Round(column), r = (int)Math.Round(row);
        return r >= 0 && r < rows && c >= 0 && c < columns ? r * columns + c : null;
    }

    static bool TryNumber(object? value, out double number) =>
        double.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture, out number);

    static List<object> Rows<T, TOut>(IReadOnlyList<T> values, int rows, int columns, Func<T, TOut> convert)
    {
        if (values.Count != rows * columns)
            throw new ArgumentException($"a {rows} x {columns} grid needs {rows * columns} values; got {values.Count}", nameof(values));
        var result = new List<object>(rows);
        for (int r = 0; r < rows; r++)
        {
            var row = new TOut[columns];
            for (int c = 0; c < columns; c++) row[c] = convert(values[r * columns + c]);
            result.Add(row);
        }
        return result;
    }
}
