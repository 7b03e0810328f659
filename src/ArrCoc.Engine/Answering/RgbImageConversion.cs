using ArrCoc.Engine.Images;
using ArrCoc.Qwen3VL.Processing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ArrCoc.Engine.Answering;

/// <summary>Hands decoded pixels (ImageLoader: upright, alpha on white) to the Qwen3-VL processor as raw RGB bytes.</summary>
public static class RgbImageConversion
{
    public static RgbImage ToRgbImage(this DecodedImage image) => image.Pixels.ToRgbImage();

    public static RgbImage ToRgbImage(this Image<Rgb24> image)
    {
        var pixels = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(pixels);
        return new RgbImage(image.Width, image.Height, pixels).Validate();
    }
}
