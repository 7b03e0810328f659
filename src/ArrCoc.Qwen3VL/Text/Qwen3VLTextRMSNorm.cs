using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ArrCoc.Qwen3VL.Text;

/// <summary>
/// RMSNorm (pitfall 1): normalise in float32, cast back to the input dtype, THEN multiply by the weight.
/// No bias, no 1 + w offset.
/// </summary>
public sealed class Qwen3VLTextRMSNorm : nn.Module<Tensor, Tensor>
{
    readonly Parameter weight;   // [size]
    readonly double _eps;

    public Qwen3VLTextRMSNorm(long size, double eps, Device device, ScalarType dtype) : base(nameof(Qwen3VLTextRMSNorm))
    {
        _eps = eps;
        weight = new Parameter(empty([size], dtype, device), requires_grad: false);
        RegisterComponents();
    }

    /// <param name="x">[..., size]</param>
    /// <returns>[..., size]</returns>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var x32 = x.to(ScalarType.Float32);
        var variance = x32.pow(2).mean([-1], keepdim: true);
        var normed = x32 * (variance + _eps).rsqrt();
        return (weight * normed.to(x.dtype)).MoveToOuterDisposeScope();
    }
}
