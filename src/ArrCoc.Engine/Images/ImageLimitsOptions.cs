using System.ComponentModel.DataAnnotations;

namespace ArrCoc.Engine.Images;

/// <summary>
/// Limits checked before an image is decoded (configuration section "ImageLimits"): a file or upload over them
/// is refused with a clear message and nothing is allocated for its pixels.
/// </summary>
public sealed class ImageLimitsOptions
{
    public const string Section = "ImageLimits";

    /// <summary>Largest file accepted, in bytes, e.g. 50 MB.</summary>
    [Range(1, long.MaxValue)]
    public long MaxFileBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>Largest pixel count accepted, in megapixels, e.g. 40.</summary>
    [Range(0.001, 10_000)]
    public double MaxMegapixels { get; set; } = 40;

    /// <summary>Largest width or height accepted, in pixels, e.g. 16384.</summary>
    [Range(1, 1_000_000)]
    public int MaxSide { get; set; } = 16384;

    /// <summary>Refuse a file of <paramref name="bytes"/> over <see cref="MaxFileBytes"/>, before anything of it is read or decoded.</summary>
    public void CheckFileSize(long bytes, string name)
    {
        if (bytes > MaxFileBytes)
            throw new ImageInputException($"{name}: the file is {Megabytes(bytes)}; the limit is {Megabytes(MaxFileBytes)}");
    }

    static string Megabytes(long bytes) => $"{bytes / (1024.0 * 1024.0):0.##} MB";
}
