using ArrCoc.Qwen3VL.Config;
using ArrCoc.Qwen3VL.Vision;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;
using Linear = ArrCoc.Qwen3VL.Nn.Linear;

namespace ArrCoc.Qwen3VL.Text;

// Shapes: B batch, S new tokens, T = past + S keys, D hidden, Hq query heads, Hkv key/value heads,
// rep = Hq / Hkv, Dh head dim (Hq·Dh may differ from D).

/// <summary>How the decoder masks attention for one forward: plain causal, or an explicit boolean mask.</summary>
public sealed record AttentionMask(Tensor? Mask)
{
    /// <summary>Causal over a fresh sequence (no cache, no padding): SDPA's is_causal.</summary>
    public static readonly AttentionMask Causal = new((Tensor?)null);
}

/// <summary>
/// GQA attention with per-head RMSNorm on q and k (before rotary), M-RoPE, KV cache, SDPA (scale Dh^-0.5).
/// Query head j reads key/value head ⌊j / rep⌋.
/// </summary>
public sealed class Qwen3VLTextAttention : nn.Module<Tensor, (Tensor Cos, Tensor Sin), AttentionMask, KvCache?, Tensor>
{
    readonly Linear q_proj;
    readonly Linear k_proj;
    readonly Linear v_proj;
    readonly Linear o_proj;
    readonly Qwen3VLTextRMSNorm q_norm;
    readonly Qwen3VLTextRMSNorm k_norm;

    readonly int _heads;
    readonly int _kvHeads;
    readonly int _headDim;
    readonly int _layer;

    public Qwen3VLTextAttention(Qwen3VLTextConfig config, int layerIndex, Device device, ScalarType dtype) : base(nameof(Qwen3VLTextAttention))
    {
        _heads = config.NumAttentionHeads;
        _kvHeads = config.NumKeyValueHeads;
        _headDim = config.HeadDim;
        _layer = layerIndex;
        q_proj = new Linear(config.HiddenSize, (long)_heads * _headDim, false, device, dtype);
        k_proj = new Linear(config.HiddenSize, (long)_kvHeads * _headDim, false, device, dtype);
        v_proj = new Linear(config.HiddenSize, (long)_kvHeads * _headDim, false, device, dtype);
        o_proj = new Linear((long)_heads * _headDim, config.HiddenSize, false, device, dtype);
        q_norm = new Qwen3VLTextRMSNorm(_headDim, config.RmsNormEps, device, dtype);
        k_norm = new Qwen3VLTextRMSNorm(_headDim, config.RmsNormEps, device, dtype);
        RegisterComponents();
    }

    /// <param name="x">[B, S, D]</param>
    /// <param name="rotary">cos, sin: [B, S, Dh]</param>
    /// <param name="mask">causal, or a bool mask [B, 1, S, T] (true = attend)</param>
    /// <param name="cache">KV cache to extend (null: attend within x only)</param>
    /// <returns>[B, S, D]</returns>
    public override Tensor forward(Tensor x, (Tensor Cos, Tensor Sin) rotary, AttentionMask mask, KvCache? cache)
    {
        using var scope = NewDisposeScope();
        var (b, s) = (x.shape[0], x.shape[1]);
        var q = q_norm.forward(q_proj.forward(x).view(b, s, _heads, _headDim)).transpose(1, 2);     // [B, Hq, S, Dh]
        var k = k_norm.forward(k_proj.forward(x).view(b, s, _kvHeads, _headDim)).transpose(1, 2);   // [B, Hkv, S, Dh]
        var v = v_proj.forward(x).view(b, s, _kvHeads, _headDim).transpose(1, 2);                   // [B, Hkv, S, Dh]

        var cos = rotary.Cos.unsqueeze(1);                                                          // [B, 1, S, Dh]
        var sin = rotary.Sin.unsqueeze(1);
        q = q * cos + Qwen3VLVisionAttention.RotateHalf(q) * sin;
        k = k * cos + Qwen3VLVisionAttention.RotateHalf(k) * sin;

        if (cache is not null) (k, v) = cache.Append(_layer, k, v);                                // [B, Hkv, T, Dh]
        var t = k.shape[2];
        var rep = _heads / _kvHeads;

        Tensor attended;                                                                             // [B, Hq, S, Dh]
        if (s == 1)
        {
            // One query per head: fold the rep query heads of each KV head into the query axis, so the cached
            // keys/values are read in place instead of being repeated: (B,Hkv,rep,Dh) x (B,Hkv,Dh,T) -> (B,Hkv,rep,T).
            var grouped = q.reshape(b, _kvHeads, rep, _headDim);
            attended = F.scaled_dot_product_attention(grouped, k, v, mask.Mask).reshape(b, _heads, 1, _headDim);
        }
        else
        {
            var kr = RepeatKv(k, rep, t);                                                           // [B, Hq, T, Dh]
            var vr = RepeatKv(v, rep, t);
            attended = mask.Mask is null
                ? F.scaled_dot_product_attention(q, kr, vr, is_casual: true)                        // needs T == S
                : F.scaled_dot_product_attention(q, kr, vr, mask.Mask);
        }
        var merged = attended.transpose(1, 2).reshape(b, s, (long)_heads * _headDim);               // [B, S, Hq·Dh]
        return o_proj.forward(merged).MoveToOuterDisposeScope();                                     // [B, S, D]
    }

    /// <summary>[B, Hkv, T, Dh] → [B, Hkv·rep, T, Dh], each KV head repeated rep times consecutively.</summary>
    Tensor RepeatKv(Tensor kv, int rep, long t) =>
        rep == 1 ? kv : kv.unsqueeze(2).expand(kv.shape[0], _kvHeads, rep, t, _headDim).reshape(kv.shape[0], _heads, t, _headDim);
}
