using ArrCoc.Qwen3VL.Text;
using static TorchSharp.torch;

namespace ArrCoc.Qwen3VL.Generation;

// Shapes: S prompt tokens (batch 1), D hidden.

/// <summary>
/// Everything the first decoding step needs, prepared by the caller: the (possibly pruned) prompt's ids [1, S] (for the
/// repetition penalty), its embeddings [1, S, D] with image rows in place, its 3-D positions [3, 1, S], the DeepStack
/// injection, and the rope delta (null: max(position) + 1 − S, right for any prompt whose text follows its image).
/// The caller keeps ownership of these tensors.
/// </summary>
public sealed record Prefill(Tensor InputIds, Tensor InputsEmbeds, Tensor PositionIds, VisualInjection? Visual = null, long? RopeDelta = null);

/// <summary>What a generation produced besides its text stream (filled as it goes).</summary>
public sealed class GenerationTrace
{
    /// <summary>Generated ids, stop token included when one was produced.</summary>
    public List<long> GeneratedIds { get; } = [];
    /// <summary>The full last-position logits before the first generated token, [V].</summary>
    public float[]? FirstStepLogits { get; set; }
    /// <summary>Decoded text (special tokens skipped).</summary>
    public string Text { get; set; } = "";
    /// <summary>Why generation ended: "eos", "max_new_tokens".</summary>
    public string? StopReason { get; set; }
    /// <summary>Seconds spent in the prefill forward and in the decoding steps.</summary>
    public double PrefillSeconds { get; set; }
    public double DecodeSeconds { get; set; }
}
