using ArrCoc.Qwen3VL.Config;
using ArrCoc.Qwen3VL.Nn;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;
using Linear = ArrCoc.Qwen3VL.Nn.Linear;

namespace ArrCoc.Qwen3VL.Vision;

/// <summary>Vision block MLP: fc2(gelu_tanh(fc1(x))), both with bias.</summary>
public sealed class Qwen3VLVisionMLP : nn.Module<Tensor, Tensor>
{
    readonly Linear linear_fc1;
    readonly Linear linear_fc2;

    public Qwen3VLVisionMLP(Qwen3VLVisionConfig config, Device device, ScalarType dtype) : base(nameof(Qwen3VLVisionMLP))
    {
        linear_fc1 = new Linear(config.HiddenSize, config.IntermediateSize, true, device, dtype);
        linear_fc2 = new Linear(config.IntermediateSize, config.HiddenSize, true, device, dtype);
        RegisterComponents();
    }

    /// <param name="x">[N, Dv]</param>
    /// <returns>[N, Dv]</returns>
    public override Tensor forward(Tensor x)
    {
        using var h = linear_fc1.forward(x);                             // [N, I]
        using var a = F.gelu(h, GELU.Approximate.tanh);
        return linear_fc2.forward(a);                                    // [N, Dv]
    }
}
