using ArrCoc.Qwen3VL.Config;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ArrCoc.Qwen3VL.Processing;

// Shapes: C = 3 channels, H×W pixels after resizing, P patch edge, Tp temporal patch (2), m merge size (2),
// gh = H / P, gw = W / P patch grid, N = gh·gw patches, E = C·Tp·P·P values per patch (1536).

/// <summary>
/// transformers' Qwen2VLImageProcessorFast as configured by Qwen3-VL: smart_resize (factor P·m, min/max pixel
/// counts), bicubic antialiased resize on the uint8 image (torchvision's path), (x − mean·255) / (std·255) in float32,
/// the frame duplicated to Tp frames, patches flattened in merge-window order.
/// A fixed-grid mode resizes to exactly gh×gw merged cells instead (the ARR-COC integration's input).
/// </summary>
public sealed class Qwen2VLImageProcessor
{
    readonly PreprocessorConfig _config;

    public Qwen2VLImageProcessor(PreprocessorConfig config) => _config = config;

    public PreprocessorConfig Config => _config;

    /// <summary>Pixels per merged cell edge (patch_size · merge_size), e.g. 32.</summary>
    public int Factor => _config.PatchSize * _config.MergeSize;

    /// <summary>
    /// smart_resize: round each side to a multiple of <paramref name="factor"/> (round half to even, as Python),
    /// then scale down/up (floor/ceil) to respect the max/min pixel counts. Rejects sides below the factor and
    /// aspect ratios above 200.
    /// </summary>
    public static (int Height, int Width) SmartResize(int height, int width, int factor, long minPixels, long maxPixels)
    {
        if (height < factor || width < factor)
            throw new ArgumentException($"image is {width}×{height} pixels; both sides must be at least {factor}.");
        if ((double)Math.Max(height, width) / Math.Min(height, width) > 200)
            throw new ArgumentException($"image is {width}×{height} pixels; the aspect ratio must be at most 200.");
        double h = height, w = width;
        var hBar = Math.Round(h / factor, MidpointRounding.ToEven) * factor;
        var wBar = Math.Round(w / factor, MidpointRounding.ToEven) * factor;
        if (hBar * wBar > maxPixels)
        {
            var beta = Math.Sqrt(h * w / maxPixels);
            hBar = Math.Max(factor, Math.Floor(h / beta / factor) * factor);
            wBar = Math.Max(factor, Math.Floor(w / beta / factor) * factor);
        }
        else if (hBar * wBar < minPixels)
        {
            var beta = Math.Sqrt(minPixels / (h * w));
            hBar = Math.Ceiling(h * beta / factor) * factor;
            wBar = Math.Ceiling(w * beta / factor) * factor;
        }
        return ((int)hBar, (int)wBar);
    }

    /// <summary>Official mode: the size comes from smart_resize.</summary>
    public ProcessedImage Preprocess(RgbImage image)
    {
        using var chw = image.ToTensor();
        return Preprocess(chw);
    }

    /// <param name="image">[3, H, W] uint8</param>
    public ProcessedImage Preprocess(Tensor image)
    {
        CheckImage(image);
        var (h, w) = SmartResize((int)image.shape[1], (int)image.shape[2], Factor, _config.MinPixels, _config.MaxPixels);
        return Process(image, h, w);
    }

    /// <summary>Fixed-grid mode: resize to exactly <paramref name="mergedRows"/> × <paramref name="mergedColumns"/> merged cells (e.g. 32 × 32 = 1024 × 1024 pixels).</summary>
    public ProcessedImage PreprocessFixedGrid(RgbImage image, int mergedRows, int mergedColumns)
    {
        using var chw = image.ToTensor();
        return PreprocessFixedGrid(chw, mergedRows, mergedColumns);
    }

    /// <param name="image">[3, H, W] uint8</param>
    public ProcessedImage PreprocessFixedGrid(Tensor image, int mergedRows, int mergedColumns)
    {
        CheckImage(image);
        if (mergedRows <= 0 || mergedColumns <= 0)
            throw new ArgumentOutOfRangeException(nameof(mergedRows), $"the fixed grid must be positive, got {mergedRows}×{mergedColumns} cells.");
        return Process(image, mergedRows * Factor, mergedColumns * Factor);
    }

    static void CheckImage(Tensor image)
    {
        if (image.dim() != 3 || image.shape[0] != 3 || image.dtype != ScalarType.Byte)
            throw new ArgumentException($"image must be a [3, H, W] uint8 tensor, got {image.dtype} [{string.Join(", ", image.shape)}].");
    }

    ProcessedImage Process(Tensor image, int height, int width)
    {
        using var scope = NewDisposeScope();
        var resized = Resize(image, height, width);                                         // [3, H, W] uint8
        // Fused rescale + normalise, as the fast processor: (x − mean/rescale) / (std/rescale) in float32.
        var scale = 1.0 / _config.RescaleFactor;
        var mean = tensor(_config.ImageMean.Select(m => (float)(m * scale)).ToArray()).view(3, 1, 1);
        var std = tensor(_config.ImageStd.Select(s => (float)(s * scale)).ToArray()).view(3, 1, 1);
        var normalized = (resized.to(ScalarType.Float32) - mean) / std;                     // [3, H, W] float32

        int p = _config.PatchSize, tp = _config.TemporalPatchSize, m = _config.MergeSize;
        int gh = height / p, gw = width / p;
        // One image = one frame, repeated to fill the temporal patch: [Tp, 3, H, W].
        var frames = normalized.unsqueeze(0).expand(tp, 3, height, width);
        var patches = frames.reshape(1, tp, 3, gh / m, m, p, gw / m, m, p)
            .permute(0, 3, 6, 4, 7, 2, 1, 5, 8)                                              // (t, bh, bw, mh, mw, C, Tp, py, px)
            .reshape((long)gh * gw, 3L * tp * p * p);                                        // [N, E]
        var grid = tensor(new long[] { 1, gh, gw }, [1, 3], ScalarType.Int64);
        return new ProcessedImage(patches.MoveToOuterDisposeScope(), grid.MoveToOuterDisposeScope(), height, width, 1, gh, gw, m);
    }

    /// <summary>
    /// Bicubic (a = −0.75) antialiased resize of a uint8 image, torchvision v2's CPU path for uint8 (the native
    /// uint8 kernel). Same size → unchanged.
    /// </summary>
    /// <param name="image">[3, H, W] uint8</param>
    /// <returns>[3, height, width] uint8</returns>
    public static Tensor Resize(Tensor image, int height, int width)
    {
        if (image.shape[1] == height && image.shape[2] == width) return image.alias();
        using var batch = image.unsqueeze(0);
        using var resized = F.interpolate(batch, [height, width], mode: InterpolationMode.Bicubic, align_corners: false, antialias: true);
        return resized.squeeze(0);
    }
}
