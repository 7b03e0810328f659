using static TorchSharp.torch;

namespace ArrCoc.Core.Tests;

internal static class TensorAssert
{
    /// <summary>Same shape and bit-identical values.</summary>
    public static bool Identical(Tensor a, Tensor b) =>
        a.shape.SequenceEqual(b.shape) && a.dtype == b.dtype && (a == b).all().item<bool>();
}
