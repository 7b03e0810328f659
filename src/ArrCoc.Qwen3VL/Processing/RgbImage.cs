using static TorchSharp.torch;

namespace ArrCoc.Qwen3VL.Processing;

/// <summary>An 8-bit RGB image, row-major, 3 bytes per pixel (R, G, B). Decoding files is the caller's job.</summary>
public sealed record RgbImage(int Width, int Height, byte[] Pixels)
{
    public RgbImage Validate()
    {
        if (Width <= 0 || Height <= 0) throw new ArgumentException($"image size must be positive, got {Width}×{Height}.");
        if (Pixels.LongLength != 3L * Width * Height)
            throw new ArgumentException($"RGB buffer has {Pixels.LongLength} bytes; a {Width}×{Height} image needs {3L * Width * Height}.");
        return this;
    }

    /// <returns>[3, H, W] uint8</returns>
    public Tensor ToTensor()
    {
        Validate();
        using var hwc = tensor(Pixels, [Height, Width, 3], ScalarType.Byte);
        using var chw = hwc.permute(2, 0, 1);
        return chw.contiguous();
    }
}
