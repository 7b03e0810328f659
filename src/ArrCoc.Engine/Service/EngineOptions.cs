using System.ComponentModel.DataAnnotations;

namespace ArrCoc.Engine.Service;

/// <summary>
/// How the in-process engine service runs (configuration section "Engine"). Defaults are the property initialisers.
/// </summary>
public sealed class EngineOptions
{
    public const string Section = "Engine";

    /// <summary>Requests that may wait for the inference worker, e.g. 16; one more gets "busy, try again".</summary>
    [Range(1, 1024)]
    public int QueueCapacity { get; set; } = 16;

    /// <summary>Qwen3-VL model: a Hugging Face id or a local folder; empty = microscope only (no answers).</summary>
    public string? Model { get; set; }

    /// <summary>"cpu" or "cuda".</summary>
    [Required]
    public string Device { get; set; } = "cpu";

    /// <summary>"float32" or "bfloat16"; empty = the device's default (float32 on the CPU, bfloat16 on CUDA).</summary>
    public string? Dtype { get; set; }

    /// <summary>Longest answer, in generated tokens, e.g. 256.</summary>
    [Range(1, 8192)]
    public int MaxAnswerTokens { get; set; } = 256;

    /// <summary>Prepared images held at once (across all sessions), e.g. 32; the least recently used goes first.</summary>
    [Range(1, 4096)]
    public int MaxImages { get; set; } = 32;

    /// <summary>More ARR-COC checkpoints (weights files or checkpoint folders) offered for side-by-side comparison.</summary>
    public List<string> CompareCheckpoints { get; set; } = [];

    /// <summary>
    /// A folder whose checkpoints the picker lists (training runs' checkpoints/step-* and loose weights files), e.g.
    /// "out" where `arrcoc train` writes by default; empty = none. The Microscope resolves it against its content root.
    /// </summary>
    public string? CheckpointsFolder { get; set; }

    /// <summary>A Hub model repository whose checkpoints/&lt;name&gt;/ the picker lists (what `arrcoc train --push-to` uploads), e.g. "me/arrcoc-run"; empty = none.</summary>
    public string? CheckpointsRepo { get; set; }
}
