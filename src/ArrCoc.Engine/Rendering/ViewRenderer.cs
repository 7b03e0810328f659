using ArrCoc.Core;
using ArrCoc.Core.Texture;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ArrCoc.Engine.Rendering;

/// <summary>
/// Static images of the views that exist without a language model (used by `arrcoc analyze` and the PNG
/// export): texture channels, each map, kept cells over the image. Maps are drawn cell by cell (nearest), with a
/// colour bar (0 at the bottom, 1 at the top) on the right.
/// </summary>
public static class ViewRenderer
{
    const int ColourBarWidth = 12;
    const int Gap = 4;

    /// <summary>One map [Rows·Columns] in [0, 1] as a heatmap with a colour bar.</summary>
    public static Image<Rgb24> Map(float[] values, int rows, int columns, int cellPixels = 16)
    {
        int width = columns * cellPixels, height = rows * cellPixels;
        var image = new Image<Rgb24>(width + Gap + ColourBarWidth, height, new Rgb24(255, 255, 255));
        DrawMap(image, values, rows, columns, cellPixels, 0, 0);
        image.ProcessPixelRows(accessor =>
        {
            for (int y = 0; y < height; y++)
            {
                var colour = Colormaps.Viridis(1.0 - y / (double)Math.Max(1, height - 1));
                var row = accessor.GetRowSpan(y);
                for (int x = width + Gap; x < width + Gap + ColourBarWidth; x++) row[x] = colour;
            }
        });
        return image;
    }

    /// <summary>The 13 texture channels tiled 5 per row (channel order), each a small heatmap.</summary>
    public static Image<Rgb24> TextureChannelGrid(RelevanceResult result, int cellPixels = 4)
    {
        const int perRow = 5;
        int tileW = result.Columns * cellPixels, tileH = result.Rows * cellPixels;
        int tileRows = (TextureChannels.Count + perRow - 1) / perRow;
        var image = new Image<Rgb24>(perRow * (tileW + Gap) - Gap, tileRows * (tileH + Gap) - Gap, new Rgb24(255, 255, 255));
        for (int c = 0; c < TextureChannels.Count; c++)
            DrawMap(image, result.Texture[c], result.Rows, result.Columns, cellPixels, c % perRow * (tileW + Gap), c / perRow * (tileH + Gap));
        return image;
    }

    /// <summary>The image with rejected cells dimmed and kept cells outlined in their LOD-budget colour.</summary>
    /// <param name="image">The image at grid size (Columns·32 × Rows·32).</param>
    public static Image<Rgb24> KeptOverlay(Image<Rgb24> image, RelevanceResult result)
    {
        var overlay = image.Clone();
        int cellW = image.Width / result.Columns, cellH = image.Height / result.Rows;
        var budgetOf = new Dictionary<int, int>();
        for (int j = 0; j < result.Kept.Length; j++) budgetOf[result.Kept[j]] = result.Budgets[j];
        overlay.ProcessPixelRows(accessor =>
        {
            for (int y = 0; y < accessor.Height; y++)
            {
                var row = accessor.GetRowSpan(y);
                int cellRow = Math.Min(y / cellH, result.Rows - 1), inY = y - cellRow * cellH;
                for (int x = 0; x < row.Length; x++)
                {
                    int cellColumn = Math.Min(x / cellW, result.Columns - 1), inX = x - cellColumn * cellW;
                    int cell = cellRow * result.Columns + cellColumn;
                    if (!budgetOf.TryGetValue(cell, out var budget))
                        row[x] = new Rgb24((byte)(row[x].R * 0.3), (byte)(row[x].G * 0.3), (byte)(row[x].B * 0.3));
                    else if (inX < 2 || inY < 2 || inX >= cellW - 2 || inY >= cellH - 2)
                        row[x] = Colormaps.Budget(budget);
                }
            }
        });
        return overlay;
    }

    /// <summary>Downscale for display so that the longer side is at most <paramref name="maxSide"/>.</summary>
    public static Image<Rgb24> Fit(Image<Rgb24> image, int maxSide)
    {
        if (Math.Max(image.Width, image.Height) <= maxSide) return image.Clone();
        double scale = (double)maxSide / Math.Max(image.Width, image.Height);
        return image.Clone(x => x.Resize((int)Math.Round(image.Width * scale), (int)Math.Round(image.Height * scale)));
    }

    static void DrawMap(Image<Rgb24> image, float[] values, int rows, int columns, int cellPixels, int left, int top)
    {
        image.ProcessPixelRows(accessor =>
        {
            for (int y = 0; y < rows * cellPixels; y++)
            {
                var row = accessor.GetRowSpan(top + y);
                int i = y / cellPixels;
                for (int x = 0; x < columns * cellPixels; x++)
                    row[left + x] = Colormaps.Viridis(values[i * columns + x / cellPixels]);
            }
        });
    }
}
