using static TorchSharp.torch;

namespace ArrCoc.Core.Tests;

/// <summary>Small synthetic images as [1, 3, H, W] tensors in [0, 1].</summary>
internal static class TestImages
{
    public static Tensor Constant(int height, int width, float r, float g, float b)
    {
        using var colour = tensor(new[] { r, g, b }).view(1, 3, 1, 1);
        return colour.expand(1, 3, height, width).contiguous();
    }

    /// <summary>Black left of column <paramref name="edgeColumn"/>, white from it on.</summary>
    public static Tensor VerticalEdge(int height, int width, int edgeColumn)
    {
        var image = zeros(1, 3, height, width);
        image[.., .., .., edgeColumn..] = 1.0f;
        return image;
    }

    public static Tensor Random(int height, int width, long seed)
    {
        using var generator = new TorchSharp.torch.Generator((ulong)seed);
        return rand(new long[] { 1, 3, height, width }, generator: generator);
    }
}
