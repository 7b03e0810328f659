using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ArrCoc.Qwen3VL.Nn;

// Leaf layers that mirror torch.nn.Linear / LayerNorm / Embedding parameter names ("weight", "bias") but are
// created with torch.empty on any device (including meta) and frozen (requires_grad = false): weights come from a
// checkpoint (or an explicit random init), never from a constructor's initializer.

/// <summary>y = x Wᵀ + b. weight [out, in], bias [out] or absent.</summary>
public sealed class Linear : nn.Module<Tensor, Tensor>
{
    readonly Parameter weight;
    readonly Parameter? bias;

    public Linear(long inFeatures, long outFeatures, bool hasBias, Device device, ScalarType dtype) : base(nameof(Linear))
    {
        weight = new Parameter(empty([outFeatures, inFeatures], dtype, device), requires_grad: false);
        if (hasBias) bias = new Parameter(empty([outFeatures], dtype, device), requires_grad: false);
        RegisterComponents();
    }

    public Tensor Weight => weight;

    /// <param name="x">[..., in]</param>
    /// <returns>[..., out]</returns>
    public override Tensor forward(Tensor x) => F.linear(x, weight, bias);
}

/// <summary>LayerNorm over the last dimension with weight and bias (eps fixed by the caller, 1e-6 in Qwen3-VL's vision tower).</summary>
public sealed class LayerNorm : nn.Module<Tensor, Tensor>
{
    readonly Parameter weight;
    readonly Parameter bias;
    readonly long _size;
    readonly double _eps;

    public LayerNorm(long size, double eps, Device device, ScalarType dtype) : base(nameof(LayerNorm))
    {
        _size = size;
        _eps = eps;
        weight = new Parameter(empty([size], dtype, device), requires_grad: false);
        bias = new Parameter(empty([size], dtype, device), requires_grad: false);
        RegisterComponents();
    }

    /// <param name="x">[..., size]</param>
    public override Tensor forward(Tensor x) => F.layer_norm(x, [_size], weight, bias, _eps);
}

/// <summary>Row lookup. weight [num, dim].</summary>
public sealed class Embedding : nn.Module<Tensor, Tensor>
{
    readonly Parameter weight;

    public Embedding(long num, long dim, Device device, ScalarType dtype) : base(nameof(Embedding))
    {
        weight = new Parameter(empty([num, dim], dtype, device), requires_grad: false);
        RegisterComponents();
    }

    public Tensor Weight => weight;

    /// <param name="ids">[...] int64</param>
    /// <returns>[..., dim]</returns>
    public override Tensor forward(Tensor ids)
    {
        using var flat = ids.reshape(-1);
        using var rows = weight.index_select(0, flat);                  // [n, dim]
        return rows.view([.. ids.shape, weight.shape[1]]);               // [..., dim]
    }
}
