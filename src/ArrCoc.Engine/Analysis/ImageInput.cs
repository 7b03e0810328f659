namespace ArrCoc.Engine.Analysis;

/// <summary>An encoded image (file or upload) and its name for messages.</summary>
public sealed record ImageInput(ReadOnlyMemory<byte> Bytes, string Name)
{
    /// <summary>Read a file, refusing it (without reading) when it is larger than <paramref name="maxBytes"/>.</summary>
    public static ImageInput FromFile(string path, long maxBytes)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"image not found: {path}", path);
        var length = new FileInfo(path).Length;
        if (length > maxBytes)
            throw new Images.ImageInputException($"{Path.GetFileName(path)}: the file is {length / 1048576.0:0.##} MB; the limit is {maxBytes / 1048576.0:0.##} MB");
        return new ImageInput(File.ReadAllBytes(path), Path.GetFileName(path));
    }
}
