using ArrCoc.Engine.Training;

namespace ArrCoc.Engine.Tests;

public class TrainingScheduleTests
{
    static readonly TrainingOptions Options = new() { Steps = 100, WarmupSteps = 10, LearningRate = 1e-3, MinLearningRateRatio = 0.1 };

    [Fact]
    public void Schedule_WarmUpThenCosineToTheFloor()
    {
        Assert.Equal(1e-4, LearningRateSchedule.At(1, Options), 12);
        Assert.Equal(5e-4, LearningRateSchedule.At(5, Options), 12);
        Assert.Equal(1e-3, LearningRateSchedule.At(10, Options), 12);
        Assert.Equal(1e-3, LearningRateSchedule.At(11, Options), 12);                // the cosine starts at the peak
        Assert.Equal(1e-4 + 0.9e-3 * 0.5, LearningRateSchedule.At(16, Options with { Steps = 21 }), 12); // half-way down (steps 11..21)
        Assert.Equal(1e-4, LearningRateSchedule.At(100, Options), 12);
        var rates = Enumerable.Range(10, 91).Select(s => LearningRateSchedule.At(s, Options)).ToArray();
        Assert.True(rates.Zip(rates.Skip(1)).All(p => p.Second <= p.First));
    }

    [Fact]
    public void Schedule_NoWarmUp_StartsAtThePeak()
    {
        Assert.Equal(1e-3, LearningRateSchedule.At(1, Options with { WarmupSteps = 0 }), 12);
        Assert.Equal(1e-3, LearningRateSchedule.At(1, Options with { WarmupSteps = 0, Steps = 1 }), 12);
        Assert.Equal(5, (Options with { WarmupSteps = null }).Warmup);     // default: 5 % of 100 steps
        Assert.Equal(100, (Options with { WarmupSteps = 500 }).Warmup);    // at most the steps
    }

    [Fact]
    public void DataOrder_EveryExampleOncePerEpochSeededAndResumable()
    {
        var order = new DataOrder(7, seed: 42);
        var first = Enumerable.Range(0, 7).Select(_ => order.Next()).ToArray();
        var second = Enumerable.Range(0, 7).Select(_ => order.Next()).ToArray();
        Assert.Equal(Enumerable.Range(0, 7), first.Order());
        Assert.Equal(Enumerable.Range(0, 7), second.Order());
        Assert.NotEqual(first, second);
        Assert.Equal(first, DataOrder.Permutation(7, 42, 0));
        Assert.NotEqual(first, DataOrder.Permutation(7, 43, 0));

        var resumed = new DataOrder(7, seed: 42, new DataPosition(1, 3));
        Assert.Equal(second[3..], Enumerable.Range(0, 4).Select(_ => resumed.Next()));
        Assert.Equal(new DataPosition(1, 7), resumed.Position);
    }

    [Theory]
    [InlineData(0, 1, "--steps")]
    [InlineData(10, 0, "--batch")]
    public void Options_Invalid_NameTheFlag(int steps, int batch, string flag)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => (new TrainingOptions { Steps = steps, Batch = batch, Grid = "4", K = 2 }).Validate());
        Assert.Contains(flag, error.Message);
    }
}
