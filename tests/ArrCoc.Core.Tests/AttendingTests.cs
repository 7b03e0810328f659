using ArrCoc.Core.Attending;
using static TorchSharp.torch;

namespace ArrCoc.Core.Tests;

public class AttendingTests
{
    [Fact]
    public void SelectTopK_TiesGoToTheLowerIndex_RasterOrder()
    {
        using var scores = tensor(new[] { 0.5f, 0.9f, 0.5f, 0.9f, 0.1f, 0.5f }).view(1, 6);
        using var kept = TokenAllocator.SelectTopK(scores, 3);
        Assert.Equal(new long[] { 0, 1, 3 }, kept[0].data<long>().ToArray());
    }

    [Fact]
    public void SelectTopK_AllEqual_FirstKCells()
    {
        using var scores = zeros(1, 10);
        using var kept = TokenAllocator.SelectTopK(scores, 4);
        Assert.Equal(new long[] { 0, 1, 2, 3 }, kept[0].data<long>().ToArray());
    }

    [Fact]
    public void SelectTopK_KEqualsN_EveryCell()
    {
        using var scores = rand(1, 7);
        using var kept = TokenAllocator.SelectTopK(scores, 7);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => (long)i), kept[0].data<long>().ToArray());
    }

    [Fact]
    public void SelectTopK_KeepsTheHighestScores()
    {
        var values = new float[] { 0.3f, 0.8f, 0.1f, 0.95f, 0.7f, 0.2f, 0.6f };
        using var scores = tensor(values).view(1, 7);
        using var kept = TokenAllocator.SelectTopK(scores, 3);
        Assert.Equal(new long[] { 1, 3, 4 }, kept[0].data<long>().ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(11)]
    public void SelectTopK_KOutsideOneToN_ClearError(int k)
    {
        using var scores = rand(1, 10);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => TokenAllocator.SelectTopK(scores, k));
        Assert.Contains("between 1 and the number of cells (10)", error.Message);
        Assert.Contains($"got {k}", error.Message);
    }

    [Fact]
    public void Budgets_RangeEndpointsAndMonotone()
    {
        using var scores = linspace(0, 1, 101);
        using var budgets = TokenAllocator.Budgets(scores);
        var b = budgets.data<int>().ToArray();
        Assert.Equal(64, b[0]);
        Assert.Equal(400, b[^1]);
        Assert.Equal(232, b[50]);                                  // 64 + 336 · 0.5
        Assert.All(b, x => Assert.InRange(x, 64, 400));
        for (int i = 1; i < b.Length; i++) Assert.True(b[i] >= b[i - 1]);
        Assert.Equal(232, TokenAllocator.Budget(0.5));
    }
}
