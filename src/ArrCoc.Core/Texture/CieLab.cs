using static TorchSharp.torch;

namespace ArrCoc.Core.Texture;

/// <summary>
/// sRGB → CIE L*a*b* (D65), the channels ARR-COC keeps: L* and a* (b* is not used).
/// Constants as kornia's rgb_to_lab (which the original arr-coc-0-1 used): sRGB linearisation,
/// the sRGB→XYZ matrix, D65 white (0.95047, 1, 1.08883), threshold 0.008856.
/// Pure red (1, 0, 0) gives L* ≈ 53.24, a* ≈ 80.09.
/// </summary>
public static class CieLab
{
    // sRGB → XYZ rows for X and Y (Z is only needed for b*).
    const double Xr = 0.412453, Xg = 0.357580, Xb = 0.180423;
    const double Yr = 0.212671, Yg = 0.715160, Yb = 0.072169;
    const double WhiteX = 0.95047;
    const double Epsilon = 0.008856; // (6/29)^3
    const double Kappa = 7.787;      // (29/6)^2 / 3

    /// <summary>Linearise sRGB in [0, 1].</summary>
    public static Tensor Linearize(Tensor srgb) =>
        where(srgb > 0.04045, pow((srgb + 0.055) / 1.055, 2.4), srgb / 12.92);

    /// <summary>
    /// L* in [0, 100] and a* (about [-86, 98]) of an sRGB image.
    /// </summary>
    /// <param name="rgb">[B, 3, H, W] sRGB in [0, 1].</param>
    /// <returns>(L* [B, 1, H, W], a* [B, 1, H, W]).</returns>
    public static (Tensor L, Tensor A) LightnessAndRedGreen(Tensor rgb)
    {
        using var scope = NewDisposeScope();
        var linear = Linearize(rgb);                                       // [B, 3, H, W]
        var r = linear[.., 0..1];                                          // [B, 1, H, W]
        var g = linear[.., 1..2];
        var b = linear[.., 2..3];
        var x = (r * Xr + g * Xg + b * Xb) / WhiteX;                       // [B, 1, H, W]
        var y = r * Yr + g * Yg + b * Yb;                                  // [B, 1, H, W] (white Y = 1)
        var fx = F(x);
        var fy = F(y);
        var l = 116.0 * fy - 16.0;                                         // [B, 1, H, W] (= 903.3·Y below the threshold)
        var a = 500.0 * (fx - fy);                                         // [B, 1, H, W]
        return (l.MoveToOuterDisposeScope(), a.MoveToOuterDisposeScope());
    }

    static Tensor F(Tensor t) =>
        where(t > Epsilon, pow(t.clamp_min(Epsilon), 1.0 / 3.0), Kappa * t + 4.0 / 29.0);
}
