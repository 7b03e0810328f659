using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using static TorchSharp.torch;

namespace ArrCoc.Engine.Images;

/// <summary>Resize to a cell grid and convert to tensors.</summary>
public static class ImageTensors
{
    /// <summary>Pixels per cell side: patch 16 px × merge 2.</summary>
    public const int CellPixels = 32;

    /// <summary>A copy resized (bicubic) to exactly Rows·32 × Columns·32 pixels.</summary>
    public static Image<Rgb24> ResizeToGrid(Image<Rgb24> image, int rows, int columns)
    {
        var size = new SixLabors.ImageSharp.Size(columns * CellPixels, rows * CellPixels);
        if (image.Width == size.Width && image.Height == size.Height) return image.Clone();
        return image.Clone(x => x.Resize(new ResizeOptions { Size = size, Mode = ResizeMode.Stretch, Sampler = KnownResamplers.Bicubic }));
    }

    /// <summary>The image as a float tensor in [0, 1].</summary>
    /// <returns>[1, 3, H, W] float32.</returns>
    public static Tensor ToTensor(Image<Rgb24> image)
    {
        var bytes = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(bytes);
        using var scope = NewDisposeScope();
        var hwc = tensor(bytes, [image.Height, image.Width, 3]);           // [H, W, 3] uint8
        var chw = hwc.permute(2, 0, 1).unsqueeze(0).to(ScalarType.Float32) / 255.0f; // [1, 3, H, W]
        return chw.contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>PNG bytes of an image.</summary>
    public static byte[] ToPng(Image image)
    {
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }
}
