using static TorchSharp.torch;

namespace ArrCoc.Qwen3VL.Processing;

/// <summary>
/// Processor output for one image: pixel_values [t·h·w, C·T·P·P] float32 in merge-window row order and
/// image_grid_thw [1, 3] = (t, h, w) in patches. The image was resized to ResizedHeight × ResizedWidth pixels.
/// </summary>
public sealed record ProcessedImage(Tensor PixelValues, Tensor ImageGridThw, int ResizedHeight, int ResizedWidth, int GridT, int GridH, int GridW, int MergeSize) : IDisposable
{
    /// <summary>Number of &lt;|image_pad|&gt; tokens = merged tokens = t·h·w / merge².</summary>
    public int MergedTokens => GridT * GridH * GridW / (MergeSize * MergeSize);

    /// <summary>Merged grid rows (h / merge) and columns (w / merge): the cells of the M-RoPE grid.</summary>
    public int MergedRows => GridH / MergeSize;
    public int MergedColumns => GridW / MergeSize;

    public void Dispose()
    {
        PixelValues.Dispose();
        ImageGridThw.Dispose();
    }
}
