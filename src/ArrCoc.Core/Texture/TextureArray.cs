using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace ArrCoc.Core.Texture;

/// <summary>
/// The 13-channel texture array: one cell per merged visual token (32 × 32 pixels).
/// Shapes: B images, 3 colour channels, H × W pixels (multiples of 32), Gh × Gw cells (Gh = H/32, Gw = W/32),
/// C = 13 texture channels.
/// Each per-pixel channel is averaged over its cell (area mean; the original point-sampled a 512 px
/// resize, which ignores most pixels of a cell). Channel meanings and scales follow arr-coc-0-1.
/// </summary>
public static class TextureArray
{
    /// <summary>Pixels per cell side: patch 16 px × spatial merge 2.</summary>
    public const int CellPixels = 32;

    const double MinMaxEpsilon = 1e-8;

    // 3×3 Sobel as cross-correlation, divided by 8 (kornia's normalized=True): Gx = right − left, Gy = bottom − top.
    static readonly float[] SobelKernels =
    [
        -1, 0, 1, -2, 0, 2, -1, 0, 1,   // Gx
        -1, -2, -1, 0, 0, 0, 1, 2, 1,   // Gy
    ];

    /// <summary>Generate the texture array (the fused CPU pass for float32 CPU images, tensor ops elsewhere).</summary>
    /// <param name="image">[B, 3, H, W] sRGB in [0, 1], H and W multiples of 32.</param>
    /// <returns>[B, 13, Gh, Gw], every channel in [0, 1].</returns>
    public static Tensor Generate(Tensor image)
    {
        CheckImage(image);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var cells = image.device_type == TorchSharp.DeviceType.CPU
            ? TextureKernel.CellMeans(image.to(ScalarType.Float32).contiguous())    // [B, 8, Gh, Gw]
            : CellMeansReference(image);
        return Assemble(cells).MoveToOuterDisposeScope();
    }

    /// <summary>The definition in tensor ops (any device); <see cref="Generate"/> must agree with it.</summary>
    /// <param name="image">[B, 3, H, W] sRGB in [0, 1], H and W multiples of 32.</param>
    /// <returns>[B, 13, Gh, Gw].</returns>
    public static Tensor GenerateReference(Tensor image)
    {
        CheckImage(image);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return Assemble(CellMeansReference(image)).MoveToOuterDisposeScope();
    }

    static void CheckImage(Tensor image)
    {
        if (image.dim() != 4 || image.shape[1] != 3)
            throw new ArgumentException($"texture input must be [B, 3, H, W]; got [{string.Join(", ", image.shape)}]", nameof(image));
        long height = image.shape[2], width = image.shape[3];
        if (height < CellPixels || width < CellPixels || height % CellPixels != 0 || width % CellPixels != 0)
            throw new ArgumentException($"image size must be a positive multiple of {CellPixels} on each side; got {height} x {width}", nameof(image));
    }

    /// <summary>Cell means of the 8 per-pixel channels: R, G, B, L*/100, (a*+128)/255, Gx, Gy, |G|.</summary>
    /// <returns>[B, 8, Gh, Gw].</returns>
    internal static Tensor CellMeansReference(Tensor image)
    {
        var rgb = image.to(ScalarType.Float32);                                      // [B, 3, H, W]
        var (l, a) = CieLab.LightnessAndRedGreen(rgb);                              // [B, 1, H, W] each
        var (gx, gy) = Sobel(rgb);                                                  // [B, 1, H, W] each
        var magnitude = sqrt(gx.square() + gy.square() + 1e-8);                     // [B, 1, H, W]
        var perPixel = cat([rgb, l / 100.0, (a + 128.0) / 255.0, gx, gy, magnitude], dim: 1); // [B, 8, H, W]
        return avg_pool2d(perPixel, CellPixels);                                    // [B, 8, Gh, Gw]
    }

    /// <summary>From the 8 cell means to the 13 channels: edges min-max normalised, positions, views.</summary>
    /// <param name="cells">[B, 8, Gh, Gw].</param>
    /// <returns>[B, 13, Gh, Gw].</returns>
    static Tensor Assemble(Tensor cells)
    {
        long batch = cells.shape[0], gh = cells.shape[2], gw = cells.shape[3];
        var colour = cells[.., 0..5];                                               // [B, 5, Gh, Gw]  R, G, B, L*, a*
        var edges = MinMaxPerImage(cells[.., 5..8]);                                // [B, 3, Gh, Gw]  Gx, Gy, |G|
        var (y, x, eccentricity) = Positions(gh, gw);                               // [Gh, Gw] each
        var position = stack([y, x, eccentricity]).unsqueeze(0).expand(batch, 3, gh, gw); // [B, 3, Gh, Gw]
        var texture = cat(
        [
            colour,                                                                 // 0-4
            edges,                                                                  // 5-7
            position,                                                               // 8-10
            edges[.., 2..3],                                                        // 11 saliency = |G|
            colour[.., 3..4],                                                       // 12 luminance = L*
        ], dim: 1);                                                                 // [B, 13, Gh, Gw]
        return texture.contiguous();
    }

    /// <summary>Sobel gradients of the grayscale image (0.299R + 0.587G + 0.114B), replicate padding.</summary>
    /// <param name="rgb">[B, 3, H, W].</param>
    /// <returns>(Gx, Gy), each [B, 1, H, W].</returns>
    public static (Tensor Gx, Tensor Gy) Sobel(Tensor rgb)
    {
        using var scope = NewDisposeScope();
        using var luma = tensor(new float[] { 0.299f, 0.587f, 0.114f }).view(1, 3, 1, 1);
        var gray = (rgb * luma).sum(1, keepdim: true);                              // [B, 1, H, W]
        var padded = pad(gray, [1, 1, 1, 1], TorchSharp.PaddingModes.Replicate);               // [B, 1, H+2, W+2]
        using var kernels = tensor(SobelKernels).view(2, 1, 3, 3) / 8.0f;
        var gradients = conv2d(padded, kernels);                                    // [B, 2, H, W]
        var gx = gradients[.., 0..1].MoveToOuterDisposeScope();
        var gy = gradients[.., 1..2].MoveToOuterDisposeScope();
        return (gx, gy);
    }

    /// <summary>(v − min) / (max − min + 1e-8) per image and channel.</summary>
    /// <param name="maps">[B, C, Gh, Gw].</param>
    public static Tensor MinMaxPerImage(Tensor maps)
    {
        using var scope = NewDisposeScope();
        var flat = maps.flatten(2);                                                 // [B, C, N]
        var min = flat.amin([2], keepdim: true);                                     // [B, C, 1]
        var max = flat.amax([2], keepdim: true);                                     // [B, C, 1]
        var normalised = (flat - min) / (max - min + MinMaxEpsilon);                // [B, C, N]
        return normalised.view_as(maps).MoveToOuterDisposeScope();                  // [B, C, Gh, Gw]
    }

    /// <summary>Cell row y = i/(Gh−1), column x = j/(Gw−1) (0 on a single row/column), eccentricity / its max.</summary>
    static (Tensor Y, Tensor X, Tensor Eccentricity) Positions(long gh, long gw)
    {
        var rows = arange(gh, dtype: ScalarType.Float32) / Math.Max(1, gh - 1);      // [Gh]
        var columns = arange(gw, dtype: ScalarType.Float32) / Math.Max(1, gw - 1);   // [Gw]
        var grid = meshgrid([rows, columns], indexing: "ij");                       // 2 × [Gh, Gw]
        var y = grid[0];
        var x = grid[1];
        var distance = sqrt((y - 0.5).square() + (x - 0.5).square());               // [Gh, Gw]
        var eccentricity = distance / distance.max().clamp_min(MinMaxEpsilon);      // [Gh, Gw]
        return (y, x, eccentricity);
    }
}
