using ArrCoc.Qwen3VL.Config;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;
using Linear = ArrCoc.Qwen3VL.Nn.Linear;

namespace ArrCoc.Qwen3VL.Vision;

// Shapes: N tokens (patches of all images), Dv hidden, H heads, Dh = Dv / H.

/// <summary>
/// Bidirectional multi-head attention inside each image/frame segment (cu_seqlens), fused qkv with bias,
/// 2-D rotary on q and k (computed in float32, cast back), scale Dh^-0.5 (SDPA's default).
/// </summary>
public sealed class Qwen3VLVisionAttention : nn.Module<Tensor, Tensor, Tensor, long[], Tensor>
{
    readonly Linear qkv;
    readonly Linear proj;
    readonly int _heads;
    readonly int _headDim;

    public Qwen3VLVisionAttention(Qwen3VLVisionConfig config, Device device, ScalarType dtype) : base(nameof(Qwen3VLVisionAttention))
    {
        _heads = config.NumHeads;
        _headDim = config.HeadDim;
        qkv = new Linear(config.HiddenSize, 3 * config.HiddenSize, true, device, dtype);
        proj = new Linear(config.HiddenSize, config.HiddenSize, true, device, dtype);
        RegisterComponents();
    }

    /// <param name="x">[N, Dv]</param>
    /// <param name="cos">[N, Dh] float32</param>
    /// <param name="sin">[N, Dh] float32</param>
    /// <param name="cuSeqlens">segment boundaries, e.g. [0, 4096]</param>
    /// <returns>[N, Dv]</returns>
    public override Tensor forward(Tensor x, Tensor cos, Tensor sin, long[] cuSeqlens)
    {
        var n = x.shape[0];
        using var fused = qkv.forward(x);                                          // [N, 3·Dv]
        using var split = fused.view(n, 3, _heads, _headDim).permute(1, 0, 2, 3);  // [3, N, H, Dh]
        using var q0 = split[0];
        using var k0 = split[1];
        using var v0 = split[2];
        using var c = cos.unsqueeze(1);                                            // [N, 1, Dh]
        using var s = sin.unsqueeze(1);
        using var q1 = RotaryFloat32(q0, c, s);                                    // [N, H, Dh]
        using var k1 = RotaryFloat32(k0, c, s);
        using var q = q1.transpose(0, 1).unsqueeze(0);                             // [1, H, N, Dh]
        using var k = k1.transpose(0, 1).unsqueeze(0);
        using var v = v0.transpose(0, 1).unsqueeze(0);

        Tensor attended;                                                           // [1, H, N, Dh]
        if (cuSeqlens.Length == 2)
        {
            attended = F.scaled_dot_product_attention(q, k, v);
        }
        else
        {
            var parts = new List<Tensor>();
            for (var i = 0; i + 1 < cuSeqlens.Length; i++)
            {
                var start = cuSeqlens[i];
                var length = cuSeqlens[i + 1] - start;
                using var qs = q.narrow(2, start, length);
                using var ks = k.narrow(2, start, length);
                using var vs = v.narrow(2, start, length);
                parts.Add(F.scaled_dot_product_attention(qs, ks, vs));
            }
            attended = cat(parts, 2);
            foreach (var p in parts) p.Dispose();
        }
        using (attended)
        {
            using var merged = attended.squeeze(0).transpose(0, 1).reshape(n, -1); // [N, Dv]
            return proj.forward(merged);                                           // [N, Dv]
        }
    }

    /// <summary>x·cos + rotate_half(x)·sin in float32, result in x's dtype (pitfall 3).</summary>
    static Tensor RotaryFloat32(Tensor x, Tensor cos, Tensor sin)
    {
        using var x32 = x.to(ScalarType.Float32);
        using var rotated = RotateHalf(x32);
        using var a = x32 * cos;
        using var b = rotated * sin;
        using var sum = a + b;
        return sum.to(x.dtype);
    }

    /// <summary>rotate_half(z) = concat(−z[..., d/2:], z[..., :d/2]).</summary>
    internal static Tensor RotateHalf(Tensor z)
    {
        var half = z.shape[^1] / 2;
        using var first = z.narrow(-1, 0, half);
        using var second = z.narrow(-1, half, half);
        using var negated = second.neg();
        return cat([negated, first], -1);
    }
}
