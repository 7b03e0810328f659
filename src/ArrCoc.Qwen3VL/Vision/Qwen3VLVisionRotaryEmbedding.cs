using TorchSharp;
using static TorchSharp.torch;

namespace ArrCoc.Qwen3VL.Vision;

/// <summary>
/// 1-D rotary frequencies for the vision tower's 2-D rotary: inv_freq[k] = 1 / 10000^(2k / dim), dim = head_dim / 2
/// (theta 10000 is fixed in the reference code, not in config). Buffer not persisted in checkpoints.
/// </summary>
public sealed class Qwen3VLVisionRotaryEmbedding : nn.Module<long, Tensor>
{
    readonly Tensor inv_freq;   // [dim / 2] float32

    public Qwen3VLVisionRotaryEmbedding(int dim, Device device, double theta = 10000.0) : base(nameof(Qwen3VLVisionRotaryEmbedding))
    {
        // Same float32 ops as the reference: theta ** (arange(0, dim, 2) / dim), then reciprocal.
        using (var scope = NewDisposeScope())
        {
            var exponent = arange(0, dim, 2, ScalarType.Float32, device: device.type == DeviceType.META ? CPU : device) / dim;
            inv_freq = pow(tensor(theta, ScalarType.Float32), exponent).reciprocal().to(device).MoveToOuterDisposeScope();
        }
        register_buffer(nameof(inv_freq), inv_freq, persistent: false);
        RegisterComponents();
    }

    /// <returns>freq_table [seqlen, dim / 2] = position · inv_freq, float32</returns>
    public override Tensor forward(long seqlen)
    {
        using var seq = arange(seqlen, ScalarType.Float32, device: inv_freq.device);
        return outer(seq, inv_freq);
    }
}
