using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ArrCoc.Engine.Samples;

/// <summary>Minimal shape drawing on pixels (rectangles, discs, triangles, gradients), clipped to the image.</summary>
internal static class Canvas
{
    public static void FillRectangle(Image<Rgb24> image, int left, int top, int width, int height, Rgb24 colour) =>
        Fill(image, (x, y) => x >= left && x < left + width && y >= top && y < top + height, colour);

    public static void FillDisc(Image<Rgb24> image, double cx, double cy, double radius, Rgb24 colour) =>
        Fill(image, (x, y) => (x + 0.5 - cx) * (x + 0.5 - cx) + (y + 0.5 - cy) * (y + 0.5 - cy) <= radius * radius, colour);

    /// <summary>An upward triangle with its apex at (cx, top) and its base of the given width at top + height.</summary>
    public static void FillTriangle(Image<Rgb24> image, double cx, double top, double width, double height, Rgb24 colour) =>
        Fill(image, (x, y) =>
        {
            double t = (y + 0.5 - top) / height;
            return t >= 0 && t <= 1 && Math.Abs(x + 0.5 - cx) <= t * width / 2;
        }, colour);

    /// <summary>A vertical gradient from <paramref name="topColour"/> to <paramref name="bottomColour"/>.</summary>
    public static void VerticalGradient(Image<Rgb24> image, Rgb24 topColour, Rgb24 bottomColour) =>
        image.ProcessPixelRows(accessor =>
        {
            for (int y = 0; y < accessor.Height; y++)
            {
                double t = y / (double)Math.Max(1, accessor.Height - 1);
                var colour = new Rgb24(Mix(topColour.R, bottomColour.R, t), Mix(topColour.G, bottomColour.G, t), Mix(topColour.B, bottomColour.B, t));
                accessor.GetRowSpan(y).Fill(colour);
            }
        });

    /// <summary>
    /// Deterministic mild noise (±amplitude per channel, in 8 × 8 pixel blocks so the PNG stays small) to make
    /// textures less flat.
    /// </summary>
    public static void AddNoise(Image<Rgb24> image, int amplitude, int seed)
    {
        const int block = 8;
        var random = new Random(seed);
        var offsets = new int[(image.Height + block - 1) / block, (image.Width + block - 1) / block];
        for (int i = 0; i < offsets.GetLength(0); i++)
            for (int j = 0; j < offsets.GetLength(1); j++)
                offsets[i, j] = random.Next(-amplitude, amplitude + 1);
        image.ProcessPixelRows(accessor =>
        {
            for (int y = 0; y < accessor.Height; y++)
            {
                var row = accessor.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++)
                {
                    int d = offsets[y / block, x / block];
                    row[x] = new Rgb24(Clamp(row[x].R + d), Clamp(row[x].G + d), Clamp(row[x].B + d));
                }
            }
        });
    }

    static void Fill(Image<Rgb24> image, Func<int, int, bool> inside, Rgb24 colour) =>
        image.ProcessPixelRows(accessor =>
        {
            for (int y = 0; y < accessor.Height; y++)
            {
                var row = accessor.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++)
                    if (inside(x, y)) row[x] = colour;
            }
        });

    static byte Mix(byte a, byte b, double t) => (byte)Math.Round(a + (b - a) * t);

    static byte Clamp(int v) => (byte)Math.Clamp(v, 0, 255);
}
