using SixLabors.ImageSharp.PixelFormats;

namespace ArrCoc.Engine.Rendering;

/// <summary>Colour maps for heatmaps: viridis (perceptually uniform, colour-blind safe) as a degree-6 polynomial fit.</summary>
public static class Colormaps
{
    // Polynomial fit of matplotlib's viridis (public-domain coefficients; max error well under one 8-bit step).
    static readonly double[][] ViridisCoefficients =
    [
        [0.2777273272234177, 0.005407344544966578, 0.3340998053353061],
        [0.1050930431085774, 1.404613529898575, 1.384590162594685],
        [-0.3308618287255563, 0.214847559468213, 0.09509516302823659],
        [-4.634230498983486, -5.799100973351585, -19.33244095627987],
        [6.228269936347081, 14.17993336680509, 56.69055260068105],
        [4.776384997670288, -13.74514537774601, -65.35303263337234],
        [-5.435455855934631, 4.645852612178535, 26.3124352495832],
    ];

    /// <summary>Viridis at t in [0, 1] (clamped; NaN → 0).</summary>
    public static Rgb24 Viridis(double t)
    {
        t = double.IsNaN(t) ? 0 : Math.Clamp(t, 0, 1);
        Span<double> rgb = stackalloc double[3];
        for (int c = 0; c < 3; c++)
        {
            double v = 0;
            for (int k = ViridisCoefficients.Length - 1; k >= 0; k--) v = v * t + ViridisCoefficients[k][c];
            rgb[c] = v;
        }
        return new Rgb24(ToByte(rgb[0]), ToByte(rgb[1]), ToByte(rgb[2]));
    }

    /// <summary>LOD budget colour: 64 → yellow, 400 → red.</summary>
    public static Rgb24 Budget(int budget, int min = 64, int max = 400)
    {
        double t = Math.Clamp((budget - min) / (double)(max - min), 0, 1);
        return new Rgb24(255, ToByte(1 - t), 0);
    }

    static byte ToByte(double v) => (byte)Math.Round(Math.Clamp(v, 0, 1) * 255);
}
