using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ArrCoc.Engine.Images;

/// <summary>
/// Decodes PNG, JPEG, WebP, GIF (first frame) and BMP safely: size and pixel limits are checked from the
/// header (Image.Identify) before any pixel buffer exists, so a decompression bomb never allocates; EXIF
/// orientation is applied and transparency is composited on white.
/// </summary>
public sealed class ImageLoader(ImageLimitsOptions limits)
{
    /// <summary>The formats accepted, for messages.</summary>
    public const string SupportedFormats = "PNG, JPEG, WebP, GIF or BMP";

    // Only the accepted formats are registered, so nothing else is ever decoded.
    static readonly Configuration Accepted = new(
        new PngConfigurationModule(), new JpegConfigurationModule(), new WebpConfigurationModule(),
        new GifConfigurationModule(), new BmpConfigurationModule());

    public ImageLimitsOptions Limits { get; } = limits;

    /// <summary>Load an image file.</summary>
    public DecodedImage Load(string path)
    {
        var name = Path.GetFileName(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"image not found: {path}", path);
        var length = new FileInfo(path).Length;
        CheckFileSize(length, name);
        return Load(File.ReadAllBytes(path), name);
    }

    /// <summary>Load an image from its encoded bytes (an upload).</summary>
    public DecodedImage Load(ReadOnlyMemory<byte> encoded, string name)
    {
        CheckFileSize(encoded.Length, name);
        using var stream = new MemoryStream(encoded.ToArray(), writable: false);

        IImageInfo? info;
        IImageFormat? format;
        try
        {
            info = Image.Identify(Accepted, stream, out format);
        }
        catch (Exception e) when (e is ImageFormatException or InvalidImageContentException or NotSupportedException)
        {
            throw new ImageInputException($"{name}: the image header is unreadable or corrupt ({e.Message})", e);
        }
        if (info is null || format is null)
            throw new ImageInputException($"{name}: not a supported image ({DescribeUnsupported(encoded.Span)}); use {SupportedFormats}");
        CheckPixels(info.Width, info.Height, name);
        if (TruncationCheck.FindProblem(format.Name.ToUpperInvariant(), encoded.Span) is { } problem)
            throw new ImageInputException($"{name}: the {format.Name} image is truncated or corrupt ({problem})");

        stream.Position = 0;
        Image<Rgba32> decoded;
        try
        {
            decoded = format is GifFormat
                ? Image.Load<Rgba32>(Accepted, stream, new GifDecoder { DecodingMode = FrameDecodingMode.First })
                : Image.Load<Rgba32>(Accepted, stream);
        }
        catch (Exception e) when (e is ImageFormatException or InvalidImageContentException or UnknownImageFormatException or NotSupportedException or EndOfStreamException)
        {
            throw new ImageInputException($"{name}: the {format.Name} image is truncated or corrupt ({e.Message})", e);
        }

        using (decoded)
        {
            decoded.Mutate(x => x.AutoOrient().BackgroundColor(Color.White));
            return new DecodedImage(decoded.CloneAs<Rgb24>(), format.Name, name);
        }
    }

    void CheckFileSize(long bytes, string name)
    {
        if (bytes == 0) throw new ImageInputException($"{name}: the file is empty (0 bytes)");
        Limits.CheckFileSize(bytes, name);
    }

    void CheckPixels(int width, int height, string name)
    {
        if (width <= 0 || height <= 0) throw new ImageInputException($"{name}: the image has no pixels ({width} x {height})");
        if (width > Limits.MaxSide || height > Limits.MaxSide)
            throw new ImageInputException($"{name}: the image is {width} x {height} pixels; the limit is {Limits.MaxSide} pixels a side");
        double megapixels = (double)width * height / 1e6;
        if (megapixels > Limits.MaxMegapixels)
            throw new ImageInputException($"{name}: the image has {megapixels:0.#} megapixels ({width} x {height}); the limit is {Limits.MaxMegapixels:0.#}");
    }


    /// <summary>Name a well-known unsupported format from its magic bytes, else describe the content.</summary>
    static string DescribeUnsupported(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith("II*\0"u8) || bytes.StartsWith("MM\0*"u8)) return "TIFF";
        if (bytes.StartsWith("%PDF"u8)) return "a PDF document";
        if (bytes.Length > 12 && bytes[4..12].SequenceEqual("ftypheic"u8)) return "HEIC";
        if (bytes.StartsWith("<svg"u8) || bytes.StartsWith("<?xml"u8)) return "SVG/XML";
        if (bytes.StartsWith("PK\u0003\u0004"u8)) return "a ZIP archive";
        return "unrecognised content";
    }
}
