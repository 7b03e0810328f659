using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static TorchSharp.torch;

namespace ArrCoc.Core.Texture;

/// <summary>
/// The texture array's per-pixel work in one fused, vectorised pass (CPU, float32): R, G, B, L*, a*, Sobel Gx, Gy
/// and magnitude are computed 8 pixels at a time and summed straight into their cells, with no intermediate
/// images; rows of cells run in parallel. The maths is <see cref="TextureArray.GenerateReference"/>'s (the
/// tensor-op definition the tests hold this to); pow and cube root use the vector Exp/Log (≤ 3e-6 relative).
/// Shapes: B images, 3 × H × W pixels, Gh × Gw cells of 32 × 32 pixels.
/// </summary>
internal static unsafe class TextureKernel
{
    const int Cell = TextureArray.CellPixels;
    const int Lanes = 8;                 // Vector256<float>
    const int PerPixelChannels = 8;      // R, G, B, L*/100, (a*+128)/255, Gx, Gy, |G|

    /// <param name="image">[B, 3, H, W] float32, contiguous, CPU, H and W multiples of 32 (checked by the caller).</param>
    /// <returns>[B, 8, Gh, Gw] cell means of the per-pixel channels (edges not yet min-max normalised).</returns>
    public static Tensor CellMeans(Tensor image)
    {
        int batch = (int)image.shape[0], height = (int)image.shape[2], width = (int)image.shape[3];
        int gh = height / Cell, gw = width / Cell, cells = gh * gw;
        var means = new float[batch * PerPixelChannels * cells];
        fixed (byte* data = image.bytes) // zero-copy view of the tensor's memory
        fixed (float* output = means)
        {
            var pixels = (float*)data;
            var result = output;
            Parallel.For(0, batch * gh, block =>
            {
                int b = block / gh, cellRow = block % gh;
                CellRow(pixels + (long)b * 3 * height * width, height, width, cellRow, result + (long)b * PerPixelChannels * cells, cells);
            });
        }
        return tensor(means, [batch, PerPixelChannels, gh, gw]);
    }

    /// <summary>Sum the 8 per-pixel channels over the 32 pixel rows of one row of cells.</summary>
    // Fully optimised from the first call: tier-0 code of vector loops is many times slower, and a request may call
    // this only a few times.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void CellRow(float* plane, int height, int width, int cellRow, float* output, int cells)
    {
        int gw = width / Cell, stride = width + 2, y0 = cellRow * Cell;
        long planeSize = (long)height * width;
        float* red = plane, green = plane + planeSize, blue = plane + 2 * planeSize;
        var grayRows = ArrayPool<float>.Shared.Rent((Cell + 2) * stride);
        var sums = new double[gw * PerPixelChannels];
        try
        {
            fixed (float* gray = grayRows)
            {
                // Grayscale of rows y0 − 1 .. y0 + 32 with one replicated column on each side (replicate padding).
                for (int r = 0; r < Cell + 2; r++)
                {
                    long source = (long)Math.Clamp(y0 - 1 + r, 0, height - 1) * width;
                    float* target = gray + r * stride + 1;
                    for (int x = 0; x < width; x += Lanes)
                        (0.299f * Vector256.Load(red + source + x) + 0.587f * Vector256.Load(green + source + x) + 0.114f * Vector256.Load(blue + source + x))
                            .Store(target + x);
                    target[-1] = target[0];
                    target[width] = target[width - 1];
                }

                for (int r = 0; r < Cell; r++)
                {
                    long offset = (long)(y0 + r) * width;
                    float* above = gray + r * stride + 1, here = above + stride, below = here + stride;
                    for (int cellColumn = 0; cellColumn < gw; cellColumn++)
                    {
                        Vector256<float> sR = default, sG = default, sB = default, sL = default, sA = default, sGx = default, sGy = default, sM = default;
                        for (int x = cellColumn * Cell; x < (cellColumn + 1) * Cell; x += Lanes)
                        {
                            var cr = Vector256.Load(red + offset + x);
                            var cg = Vector256.Load(green + offset + x);
                            var cb = Vector256.Load(blue + offset + x);
                            Vector256<float> lr = Linearize(cr), lg = Linearize(cg), lb = Linearize(cb);
                            var fx = LabF((0.412453f * lr + 0.357580f * lg + 0.180423f * lb) * (1f / 0.95047f));
                            var fy = LabF(0.212671f * lr + 0.715160f * lg + 0.072169f * lb);

                            // Each side's weighted sum first, so that a uniform neighbourhood gives exactly 0.
                            var gx = ((Vector256.Load(above + x + 1) + 2f * Vector256.Load(here + x + 1) + Vector256.Load(below + x + 1))
                                    - (Vector256.Load(above + x - 1) + 2f * Vector256.Load(here + x - 1) + Vector256.Load(below + x - 1))) * 0.125f;
                            var gy = ((Vector256.Load(below + x - 1) + 2f * Vector256.Load(below + x) + Vector256.Load(below + x + 1))
                                    - (Vector256.Load(above + x - 1) + 2f * Vector256.Load(above + x) + Vector256.Load(above + x + 1))) * 0.125f;

                            sR += cr; sG += cg; sB += cb;
                            sL += (116f * fy - Vector256.Create(16f)) * 0.01f;
                            sA += (500f * (fx - fy) + Vector256.Create(128f)) * (1f / 255f);
                            sGx += gx; sGy += gy;
                            sM += Vector256.Sqrt(gx * gx + gy * gy + Vector256.Create(1e-8f));
                        }
                        var s = sums.AsSpan(cellColumn * PerPixelChannels, PerPixelChannels);
                        s[0] += Vector256.Sum(sR); s[1] += Vector256.Sum(sG); s[2] += Vector256.Sum(sB); s[3] += Vector256.Sum(sL);
                        s[4] += Vector256.Sum(sA); s[5] += Vector256.Sum(sGx); s[6] += Vector256.Sum(sGy); s[7] += Vector256.Sum(sM);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(grayRows);
        }

        const double area = Cell * Cell;
        for (int cellColumn = 0; cellColumn < gw; cellColumn++)
            for (int c = 0; c < PerPixelChannels; c++)
                output[(long)c * cells + cellRow * gw + cellColumn] = (float)(sums[cellColumn * PerPixelChannels + c] / area);
    }

    /// <summary>sRGB → linear: ((c + 0.055) / 1.055)^2.4 above 0.04045, c / 12.92 below.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> Linearize(Vector256<float> c)
    {
        var power = Vector256.Exp(2.4f * Vector256.Log(Vector256.Max((c + Vector256.Create(0.055f)) * (1f / 1.055f), Vector256.Create(1e-30f))));
        return Vector256.ConditionalSelect(Vector256.GreaterThan(c, Vector256.Create(0.04045f)), power, c * (1f / 12.92f));
    }

    /// <summary>CIE Lab f(t): cube root above 0.008856, 7.787·t + 4/29 below.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> LabF(Vector256<float> t)
    {
        var epsilon = Vector256.Create(0.008856f);
        var cubeRoot = Vector256.Exp(Vector256.Log(Vector256.Max(t, epsilon)) * (1f / 3f));
        return Vector256.ConditionalSelect(Vector256.GreaterThan(t, epsilon), cubeRoot, 7.787f * t + Vector256.Create(4f / 29f));
    }
}
