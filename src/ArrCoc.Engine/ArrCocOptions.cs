using System.ComponentModel.DataAnnotations;

namespace ArrCoc.Engine;

/// <summary>How ARR-COC runs (configuration section "ArrCoc"; CLI flags override). Defaults are the property initialisers.</summary>
public sealed class ArrCocOptions
{
    public const string Section = "ArrCoc";

    /// <summary>Cells kept by default, e.g. 200 of 1024.</summary>
    [Range(1, 16384)]
    public int K { get; set; } = 200;

    /// <summary>Grid: "32" (32 × 32), "ROWSxCOLUMNS" or "auto".</summary>
    [Required]
    public string Grid { get; set; } = "32";

    /// <summary>Cell budget of the auto grid, e.g. 1024 (at least 2: a grid needs two cells).</summary>
    [Range(2, 16384)]
    public int MaxCells { get; set; } = 1024;

    /// <summary>
    /// ARR-COC weights: a .safetensors or PyTorch (.pt, .pth, .bin) file, a training checkpoint folder or a training run
    /// folder (its latest checkpoint); empty = untrained, initialised from <see cref="Seed"/>.
    /// </summary>
    public string? Checkpoint { get; set; }

    /// <summary>Seed of the untrained initialisation, e.g. 0.</summary>
    public long Seed { get; set; }

    /// <summary>Dimension of the fallback query embedding when no model is loaded (Qwen3-VL-2B's hidden size, 2048).</summary>
    [Range(1, 65536)]
    public int FallbackQueryDim { get; set; } = 2048;

    /// <summary>Longest question accepted, in characters, e.g. 2000.</summary>
    [Range(1, 1_000_000)]
    public int MaxQuestionChars { get; set; } = 2000;

    /// <summary>Longest question accepted when a model is loaded, in its tokens, e.g. 256.</summary>
    [Range(1, 100_000)]
    public int MaxQuestionTokens { get; set; } = 256;

    /// <summary>A copy to change (every setting carried over, including any added later).</summary>
    public ArrCocOptions Clone() => (ArrCocOptions)MemberwiseClone();
}
