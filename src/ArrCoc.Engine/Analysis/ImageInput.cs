namespace ArrCoc.Engine.Analysis;

/// <summary>An encoded image (file or upload) and its name for messages.</summary>
public sealed record ImageInput(ReadOnlyMemory<byte> Bytes, string Name)
{
    /// <summary>Read a file, refusing it (without reading) when it is larger than the limits allow.</summary>
    public static ImageInput FromFile(string path, Images.ImageLimitsOptions limits)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"image not found: {path}", path);
        limits.CheckFileSize(new FileInfo(path).Length, Path.GetFileName(path));
        return new ImageInput(File.ReadAllBytes(path), Path.GetFileName(path));
    }
}
