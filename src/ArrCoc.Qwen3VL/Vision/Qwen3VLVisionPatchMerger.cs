using ArrCoc.Qwen3VL.Config;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;
using LayerNorm = ArrCoc.Qwen3VL.Nn.LayerNorm;
using Linear = ArrCoc.Qwen3VL.Nn.Linear;

namespace ArrCoc.Qwen3VL.Vision;

// Shapes: N patches in merge-window order, M = N / 4 merged tokens, Dv vision hidden, W4 = 4·Dv, D text hidden.

/// <summary>
/// Groups each 2×2 window (4 consecutive rows) into one token: fc2(GELU_exact(fc1(·))), W4 → W4 → D.
/// Main merger: LayerNorm(Dv) per patch BEFORE grouping; DeepStack mergers (postshuffle): LayerNorm(W4) AFTER.
/// </summary>
public sealed class Qwen3VLVisionPatchMerger : nn.Module<Tensor, Tensor>
{
    readonly LayerNorm norm;
    readonly Linear linear_fc1;
    readonly Linear linear_fc2;
    readonly bool _postshuffleNorm;
    readonly long _width;

    public Qwen3VLVisionPatchMerger(Qwen3VLVisionConfig config, bool usePostshuffleNorm, Device device, ScalarType dtype) : base(nameof(Qwen3VLVisionPatchMerger))
    {
        _postshuffleNorm = usePostshuffleNorm;
        _width = (long)config.HiddenSize * config.SpatialMergeSize * config.SpatialMergeSize;
        norm = new LayerNorm(usePostshuffleNorm ? _width : config.HiddenSize, 1e-6, device, dtype);
        linear_fc1 = new Linear(_width, _width, true, device, dtype);
        linear_fc2 = new Linear(_width, config.OutHiddenSize, true, device, dtype);
        RegisterComponents();
    }

    /// <param name="x">[N, Dv]</param>
    /// <returns>[N / 4, D]</returns>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var grouped = _postshuffleNorm
            ? norm.forward(x.view(-1, _width))                            // [M, W4] then LayerNorm(W4)
            : norm.forward(x).view(-1, _width);                           // LayerNorm(Dv) then [M, W4]
        var h = F.gelu(linear_fc1.forward(grouped), GELU.Approximate.none); // [M, W4]
        return linear_fc2.forward(h).MoveToOuterDisposeScope();           // [M, D]
    }
}
