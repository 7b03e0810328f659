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
        using var scope = NewDisposeScope();
        var n = x.shape[0];
        // One copy into SDPA's layout, so rotary and attention read contiguous memory.
        var heads = qkv.forward(x)                                                    // [N, 3·Dv]
            .view(n, 3, _heads, _headDim)
            .permute(1, 2, 0, 3)                                                      // [3, H, N, Dh]
            .contiguous();
        var qk = RotaryFloat32(heads.narrow(0, 0, 2), cos, sin);                      // [2, H, N, Dh]
        var q = qk[0].unsqueeze(0);                                                   // [1, H, N, Dh]
        var k = qk[1].unsqueeze(0);
        var v = heads[2].unsqueeze(0);

        Tensor attended;                                                              // [1, H, N, Dh]
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
                parts.Add(F.scaled_dot_product_attention(q.narrow(2, start, length), k.narrow(2, start, length), v.narrow(2, start, length)));
            }
            attended = cat(parts, 2);
        }
        var merged = attended.squeeze(0).transpose(0, 1).reshape(n, -1);             // [N, Dv]
        return proj.forward(merged).MoveToOuterDisposeScope();                        // [N, Dv]
    }

    /// <summary>x·cos + rotate_half(x)·sin in float32, result in x's dtype (pitfall 3). cos/sin [N, Dh] broadcast over [..., N, Dh].</summary>
    static Tensor RotaryFloat32(Tensor x, Tensor cos, Tensor sin)
    {
        using var x32 = x.to(ScalarType.Float32);
        using var rotated = RotateHalf(x32);
        rotated.mul_(sin);
        using var result = x32 * cos;
        result.add_(rotated);
        return result.to(x.dtype);
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
