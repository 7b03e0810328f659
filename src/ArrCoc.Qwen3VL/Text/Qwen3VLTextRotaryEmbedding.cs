using ArrCoc.Qwen3VL.Config;
using TorchSharp;
using static TorchSharp.torch;

namespace ArrCoc.Qwen3VL.Text;

// Shapes: B batch, S sequence, Dh head dim; position_ids [3, B, S] = (t, h, w) per token.

/// <summary>
/// Interleaved multimodal RoPE (Qwen3VLTextRotaryEmbedding + apply_interleaved_mrope). Frequency slot i (0 ≤ i &lt; Dh/2)
/// takes its position from axis T, H or W: H at i ≡ 1 (mod 3) for i &lt; 3·section[1], W at i ≡ 2 (mod 3) for
/// i &lt; 3·section[2], T everywhere else (T H W T H W … T T T T). Angles = position · inv_freq in float32, then
/// emb = concat(freqs, freqs), cos/sin in float32, cast to the hidden dtype (no float32 rotary in the text model).
/// </summary>
public sealed class Qwen3VLTextRotaryEmbedding : nn.Module<Tensor, ScalarType, (Tensor Cos, Tensor Sin)>
{
    readonly Tensor inv_freq;       // [Dh / 2] float32, θ^(−2i/Dh)
    readonly Tensor _axisOfSlot;    // [Dh / 2] int64 in {0, 1, 2}

    public Qwen3VLTextRotaryEmbedding(Qwen3VLTextConfig config, Device device) : base(nameof(Qwen3VLTextRotaryEmbedding))
    {
        var dim = config.HeadDim;
        var compute = device.type == DeviceType.META ? CPU : device;
        // Same float32 ops as the reference: arange(0, dim, 2) (int64 → float32) / dim, θ ** that, reciprocal.
        using (var scope = NewDisposeScope())
        {
            var exponent = arange(0, dim, 2, ScalarType.Int64, device: compute).to(ScalarType.Float32) / dim;
            inv_freq = pow(tensor(config.RopeTheta, ScalarType.Float32, compute), exponent).reciprocal().to(device).MoveToOuterDisposeScope();
        }
        _axisOfSlot = tensor(AxisOfSlot(config.MropeSection, dim / 2), ScalarType.Int64, device);
        register_buffer(nameof(inv_freq), inv_freq, persistent: false);
        register_buffer(nameof(_axisOfSlot), _axisOfSlot, persistent: false);
        RegisterComponents();
    }

    /// <summary>Which axis (0 = T, 1 = H, 2 = W) drives each frequency slot; see the class summary.</summary>
    public static long[] AxisOfSlot(int[] mropeSection, int slots)
    {
        var axis = new long[slots];
        for (var dimIndex = 1; dimIndex <= 2; dimIndex++)
            for (var i = dimIndex; i < mropeSection[dimIndex] * 3 && i < slots; i += 3)
                axis[i] = dimIndex;
        return axis;
    }

    /// <param name="positionIds">[3, B, S] int64</param>
    /// <param name="dtype">dtype of the hidden states (cos/sin are cast to it)</param>
    /// <returns>cos, sin: [B, S, Dh]</returns>
    public override (Tensor Cos, Tensor Sin) forward(Tensor positionIds, ScalarType dtype)
    {
        if (positionIds.dim() != 3 || positionIds.shape[0] != 3)
            throw new ArgumentException($"position_ids must be [3, B, S], got [{string.Join(", ", positionIds.shape)}].");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var slots = inv_freq.shape[0];
        var (b, s) = (positionIds.shape[1], positionIds.shape[2]);
        var positions = positionIds.to(ScalarType.Float32).unsqueeze(-1);             // [3, B, S, 1]
        var freqs = positions * inv_freq;                                             // [3, B, S, Dh/2]
        var index = _axisOfSlot.view(1, 1, 1, slots).expand(1, b, s, slots);
        var interleaved = freqs.gather(0, index).squeeze(0);                          // [B, S, Dh/2]
        var emb = cat([interleaved, interleaved], -1);                                // [B, S, Dh]
        var cos = emb.cos().to(dtype);
        var sin = emb.sin().to(dtype);
        return (cos.MoveToOuterDisposeScope(), sin.MoveToOuterDisposeScope());
    }
}
