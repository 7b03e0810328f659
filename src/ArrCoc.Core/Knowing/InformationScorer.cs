using ArrCoc.Core.Texture;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace ArrCoc.Core.Knowing;

/// <summary>
/// Propositional knowing ("knowing that"): information content of a cell as the Shannon entropy of the
/// softmax over its 13 texture channels, min-max normalised over the image.
/// Shapes: B images, C = 13 channels, Gh × Gw cells.
/// </summary>
public static class InformationScorer
{
    /// <summary>Raw entropy H = −Σ_c p_c log(p_c + 1e-10), p = softmax over the channels (ln 13 for a uniform cell).</summary>
    /// <param name="texture">[B, 13, Gh, Gw].</param>
    /// <returns>[B, Gh, Gw] in nats.</returns>
    public static Tensor Entropy(Tensor texture)
    {
        using var scope = NewDisposeScope();
        var p = softmax(texture, dim: 1);                                   // [B, 13, Gh, Gw]
        var entropy = -(p * (p + 1e-10).log()).sum(1);                      // [B, Gh, Gw]
        return entropy.MoveToOuterDisposeScope();
    }

    /// <summary>Information map: entropy, min-max normalised per image.</summary>
    /// <param name="texture">[B, 13, Gh, Gw].</param>
    /// <returns>[B, Gh, Gw] in [0, 1].</returns>
    public static Tensor Score(Tensor texture)
    {
        using var scope = NewDisposeScope();
        var entropy = Entropy(texture);                                     // [B, Gh, Gw]
        var normalised = TextureArray.MinMaxPerImage(entropy.unsqueeze(1)); // [B, 1, Gh, Gw]
        return normalised.squeeze(1).MoveToOuterDisposeScope();             // [B, Gh, Gw]
    }
}
