using ArrCoc.Qwen3VL.Config;
using static TorchSharp.torch;

namespace ArrCoc.Qwen3VL.Text;

/// <summary>Pre-norm decoder layer: h + attn(norm(h)), then h + mlp(norm(h)).</summary>
public sealed class Qwen3VLTextDecoderLayer : nn.Module<Tensor, (Tensor Cos, Tensor Sin), AttentionMask, KvCache?, Tensor>
{
    readonly Qwen3VLTextRMSNorm input_layernorm;
    readonly Qwen3VLTextAttention self_attn;
    readonly Qwen3VLTextRMSNorm post_attention_layernorm;
    readonly Qwen3VLTextMLP mlp;

    public Qwen3VLTextDecoderLayer(Qwen3VLTextConfig config, int layerIndex, Device device, ScalarType dtype) : base(nameof(Qwen3VLTextDecoderLayer))
    {
        input_layernorm = new Qwen3VLTextRMSNorm(config.HiddenSize, config.RmsNormEps, device, dtype);
        self_attn = new Qwen3VLTextAttention(config, layerIndex, device, dtype);
        post_attention_layernorm = new Qwen3VLTextRMSNorm(config.HiddenSize, config.RmsNormEps, device, dtype);
        mlp = new Qwen3VLTextMLP(config, device, dtype);
        RegisterComponents();
    }

    /// <param name="h">[B, S, D]</param>
    /// <returns>[B, S, D]</returns>
    public override Tensor forward(Tensor h, (Tensor Cos, Tensor Sin) rotary, AttentionMask mask, KvCache? cache)
    {
        using var scope = NewDisposeScope();
        var attended = h + self_attn.forward(input_layernorm.forward(h), rotary, mask, cache);
        var result = attended + mlp.forward(post_attention_layernorm.forward(attended));
        return result.MoveToOuterDisposeScope();
    }
}
