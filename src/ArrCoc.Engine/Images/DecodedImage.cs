using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ArrCoc.Engine.Images;

/// <summary>An upright RGB image (EXIF orientation applied, alpha composited on white) and where it came from.</summary>
public sealed class DecodedImage(Image<Rgb24> pixels, string format, string name) : IDisposable
{
    public Image<Rgb24> Pixels { get; } = pixels;

    /// <summary>Detected format, e.g. "PNG".</summary>
    public string Format { get; } = format;

    /// <summary>File or upload name, for messages.</summary>
    public string Name { get; } = name;

    public int Width => Pixels.Width;

    public int Height => Pixels.Height;

    public void Dispose() => Pixels.Dispose();
}
