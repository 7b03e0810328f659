using ArrCoc.Engine.Analysis;
using ArrCoc.Engine.Images;
using ArrCoc.Engine.Rendering;
using ArrCoc.Engine.Service;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ArrCoc.Microscope.Export;

/// <summary>PNG files of the views, drawn on the server exactly as `arrcoc analyze` writes them (cells, colour bar).</summary>
public static class ViewPngs
{
    public static byte[] TextureChannels(AnalysisResult result) => Encode(ViewRenderer.TextureChannelGrid(result.Relevance));

    public static byte[] Map(float[] values, AnalysisResult result) => Encode(ViewRenderer.Map(values, result.Rows, result.Columns));

    /// <summary>
    /// The image with rejected cells dimmed and kept cells outlined in their budget colour; without an image (e.g. a
    /// result shown on its own), the same over a mid-grey canvas of the display size.
    /// </summary>
    public static byte[] Kept(byte[]? displayPng, AnalysisResult result)
    {
        using var image = displayPng is { Length: > 0 } ? Image.Load<Rgb24>(displayPng)
            : new Image<Rgb24>(result.Columns * ImageHandle.DisplayCellPixels, result.Rows * ImageHandle.DisplayCellPixels, new Rgb24(128, 128, 128));
        return Encode(ViewRenderer.KeptOverlay(image, result.Relevance));
    }

    static byte[] Encode(Image<Rgb24> image)
    {
        using (image) return ImageTensors.ToPng(image);
    }
}
