using ArrCoc.Qwen3VL.Config;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;
using Linear = ArrCoc.Qwen3VL.Nn.Linear;

namespace ArrCoc.Qwen3VL.Text;

/// <summary>SwiGLU MLP: down(silu(gate(x)) ⊙ up(x)), no biases.</summary>
public sealed class Qwen3VLTextMLP : nn.Module<Tensor, Tensor>
{
    readonly Linear gate_proj;
    readonly Linear up_proj;
    readonly Linear down_proj;

    public Qwen3VLTextMLP(Qwen3VLTextConfig config, Device device, ScalarType dtype) : base(nameof(Qwen3VLTextMLP))
    {
        gate_proj = new Linear(config.HiddenSize, config.IntermediateSize, false, device, dtype);
        up_proj = new Linear(config.HiddenSize, config.IntermediateSize, false, device, dtype);
        down_proj = new Linear(config.IntermediateSize, config.HiddenSize, false, device, dtype);
        RegisterComponents();
    }

    /// <param name="x">[B, S, D]</param>
    /// <returns>[B, S, D]</returns>
    public override Tensor forward(Tensor x)
    {
        using var gate = gate_proj.forward(x);                    // [B, S, I]
        using var up = up_proj.forward(x);                        // [B, S, I]
        using var activated = F.silu(gate);
        using var product = activated * up;
        return down_proj.forward(product);                        // [B, S, D]
    }
}
