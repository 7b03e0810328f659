using System.Buffers.Binary;

namespace ArrCoc.Engine.Images;

/// <summary>
/// Decoders fill what is missing from a cut-off file with grey or black instead of failing, so a truncated
/// upload would silently become a different picture. Each accepted format has an end marker or a declared length;
/// this checks it before decoding.
/// </summary>
internal static class TruncationCheck
{
    /// <summary>Null when the file is complete, else what is missing.</summary>
    public static string? FindProblem(string format, ReadOnlySpan<byte> file) => format switch
    {
        "PNG" => file.IndexOf("IEND"u8) < 0 ? "no IEND chunk" : null,
        "JPEG" => JpegProblem(file),
        "GIF" => GifProblem(file),
        "WEBP" => WebpProblem(file),
        "BMP" => BmpProblem(file),
        _ => null,
    };

    // In entropy-coded JPEG data every 0xFF is followed by 0x00 or a restart marker, so FF D9 after the last
    // start-of-scan (FF DA) is the end-of-image marker (an EXIF thumbnail's own FF D9 comes before).
    static string? JpegProblem(ReadOnlySpan<byte> file)
    {
        int lastScan = file.LastIndexOf([(byte)0xFF, (byte)0xDA]);
        if (lastScan < 0) return "no image data (start of scan)";
        return file[lastScan..].IndexOf([(byte)0xFF, (byte)0xD9]) < 0 ? "no end-of-image marker" : null;
    }

    static string? GifProblem(ReadOnlySpan<byte> file)
    {
        var tail = file[^Math.Min(file.Length, 16)..].TrimEnd((byte)0);
        return tail.Length == 0 || tail[^1] != 0x3B ? "no GIF trailer" : null;
    }

    static string? WebpProblem(ReadOnlySpan<byte> file)
    {
        if (file.Length < 12) return "no RIFF header";
        long declared = BinaryPrimitives.ReadUInt32LittleEndian(file[4..8]) + 8L;
        return file.Length < declared ? $"{file.Length} of the {declared} bytes its header declares" : null;
    }

    static string? BmpProblem(ReadOnlySpan<byte> file)
    {
        if (file.Length < 14) return "no file header";
        long declared = BinaryPrimitives.ReadUInt32LittleEndian(file[2..6]); // 0 is allowed by some writers
        return declared > 0 && file.Length < declared ? $"{file.Length} of the {declared} bytes its header declares" : null;
    }
}
