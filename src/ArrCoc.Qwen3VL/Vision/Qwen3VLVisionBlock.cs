using ArrCoc.Qwen3VL.Config;
using static TorchSharp.torch;
using LayerNorm = ArrCoc.Qwen3VL.Nn.LayerNorm;

namespace ArrCoc.Qwen3VL.Vision;

/// <summary>Pre-norm vision block: x + attn(norm1(x)), then x + mlp(norm2(x)). LayerNorm eps 1e-6 (fixed in code).</summary>
public sealed class Qwen3VLVisionBlock : nn.Module<Tensor, Tensor, Tensor, long[], Tensor>
{
    readonly LayerNorm norm1;
    readonly Qwen3VLVisionAttention attn;
    readonly LayerNorm norm2;
    readonly Qwen3VLVisionMLP mlp;

    public Qwen3VLVisionBlock(Qwen3VLVisionConfig config, Device device, ScalarType dtype) : base(nameof(Qwen3VLVisionBlock))
    {
        norm1 = new LayerNorm(config.HiddenSize, 1e-6, device, dtype);
        attn = new Qwen3VLVisionAttention(config, device, dtype);
        norm2 = new LayerNorm(config.HiddenSize, 1e-6, device, dtype);
        mlp = new Qwen3VLVisionMLP(config, device, dtype);
        RegisterComponents();
    }

    /// <param name="x">[N, Dv]</param>
    /// <returns>[N, Dv]</returns>
    public override Tensor forward(Tensor x, Tensor cos, Tensor sin, long[] cuSeqlens)
    {
        using var scope = NewDisposeScope();
        var h = x + attn.forward(norm1.forward(x), cos, sin, cuSeqlens);
        var result = h + mlp.forward(norm2.forward(h));
        return result.MoveToOuterDisposeScope();
    }
}
