using ArrCoc.Core.Texture;
using static TorchSharp.torch;

namespace ArrCoc.Core.Knowing;

/// <summary>
/// Perspectival knowing ("knowing what it is like"): what stands out — the Sobel magnitude channel,
/// already min-max normalised over the image.
/// </summary>
public static class PerspectivalScorer
{
    /// <param name="texture">[B, 13, Gh, Gw].</param>
    /// <returns>[B, Gh, Gw] in [0, 1] (a copy of channel 7).</returns>
    public static Tensor Score(Tensor texture) =>
        texture[.., TextureChannels.SobelMagnitude].clone();               // [B, Gh, Gw]
}
