using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace ArrCoc.Engine.Analysis;

/// <summary>
/// An image decoded and resized to its cell grid, ready for any number of analyses (questions, K, ablations).
/// Owns the resized pixels and the tensor [1, 3, Rows·32, Columns·32].
/// </summary>
public sealed class PreparedImage : IDisposable
{
    internal PreparedImage(Image<Rgb24> resized, Tensor pixels, string name, string format, int originalWidth, int originalHeight, int rows, int columns, double decodeMs)
    {
        Resized = resized;
        Pixels = pixels;
        Name = name;
        Format = format;
        OriginalWidth = originalWidth;
        OriginalHeight = originalHeight;
        Rows = rows;
        Columns = columns;
        DecodeMs = decodeMs;
    }

    /// <summary>The image at grid size (Columns·32 × Rows·32).</summary>
    public Image<Rgb24> Resized { get; }

    /// <summary>[1, 3, H, W] float32 in [0, 1].</summary>
    public Tensor Pixels { get; }

    public string Name { get; }

    public string Format { get; }

    public int OriginalWidth { get; }

    public int OriginalHeight { get; }

    public int Rows { get; }

    public int Columns { get; }

    /// <summary>Time to decode and resize, in ms.</summary>
    public double DecodeMs { get; }

    public void Dispose()
    {
        Pixels.Dispose();
        Resized.Dispose();
    }
}
