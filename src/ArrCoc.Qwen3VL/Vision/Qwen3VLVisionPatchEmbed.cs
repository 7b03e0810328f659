using ArrCoc.Qwen3VL.Config;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ArrCoc.Qwen3VL.Vision;

// Shapes: N patches (pre-merge tokens), E = C·T·P·P values per flattened patch (1536), Dv vision hidden size.

/// <summary>
/// Conv3d(C → Dv, kernel = stride = (T, P, P)) over one flattened patch per row. Because the kernel covers the
/// whole input, the convolution is exactly a matmul with the weight flattened as [Dv, C·T·P·P] (the processor's
/// column order is the weight's memory layout).
/// </summary>
public sealed class Conv3dPatchProjection : nn.Module<Tensor, Tensor>
{
    readonly Parameter weight;   // [Dv, C, T, P, P]
    readonly Parameter bias;     // [Dv]

    public Conv3dPatchProjection(Qwen3VLVisionConfig config, Device device, ScalarType dtype) : base("Conv3d")
    {
        weight = new Parameter(empty([config.HiddenSize, config.InChannels, config.TemporalPatchSize, config.PatchSize, config.PatchSize], dtype, device), requires_grad: false);
        bias = new Parameter(empty([config.HiddenSize], dtype, device), requires_grad: false);
        RegisterComponents();
    }

    /// <param name="x">[N, E]</param>
    /// <returns>[N, Dv]</returns>
    public override Tensor forward(Tensor x)
    {
        using var w = weight.view(weight.shape[0], -1);                 // [Dv, E]
        return F.linear(x, w, bias);                                     // (N,E) x (E,Dv) -> (N,Dv)
    }
}

/// <summary>transformers' Qwen3VLVisionPatchEmbed: pixel rows → patch embeddings.</summary>
public sealed class Qwen3VLVisionPatchEmbed : nn.Module<Tensor, Tensor>
{
    readonly Conv3dPatchProjection proj;
    readonly int _patchDim;

    public Qwen3VLVisionPatchEmbed(Qwen3VLVisionConfig config, Device device, ScalarType dtype) : base(nameof(Qwen3VLVisionPatchEmbed))
    {
        _patchDim = config.PatchDim;
        proj = new Conv3dPatchProjection(config, device, dtype);
        RegisterComponents();
    }

    /// <param name="pixelValues">[N, E] (any float dtype; cast to the weights' dtype first, as transformers does)</param>
    /// <returns>[N, Dv]</returns>
    public override Tensor forward(Tensor pixelValues)
    {
        if (pixelValues.dim() != 2 || pixelValues.shape[1] != _patchDim)
            throw new ArgumentException($"pixel_values must be [patches, {_patchDim}], got [{string.Join(", ", pixelValues.shape)}].");
        using var x = pixelValues.to(proj.parameters().First().dtype);
        return proj.forward(x);
    }
}
