using ArrCoc.Engine.Images;
using ArrCoc.Qwen3VL.Processing;
using SixLabors.ImageSharp.PixelFormats;

namespace ArrCoc.Engine.Answering;

/// <summary>Hands a decoded image (ImageLoader: upright, alpha on white) to the Qwen3-VL processor as raw RGB bytes.</summary>
public static class RgbImageConversion
{
    public static RgbImage ToRgbImage(this DecodedImage image)
    {
        var pixels = new byte[image.Width * image.Height * 3];
        image.Pixels.CopyPixelDataTo(pixels);
        return new RgbImage(image.Width, image.Height, pixels).Validate();
    }
}
