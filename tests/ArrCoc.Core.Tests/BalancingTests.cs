using ArrCoc.Core.Balancing;
using static TorchSharp.torch;

namespace ArrCoc.Core.Tests;

public class BalancingTests
{
    [Fact]
    public void Summaries_KnownMap_MeanMaxUnbiasedStd()
    {
        using var maps = tensor(new float[] { 1, 2, 3, 4, 0, 0, 0, 0, 2, 2, 2, 6 }).view(1, 3, 4);
        using var summaries = AdaptiveTensionBalancer.Summaries(maps);
        var s = summaries[0].data<float>().ToArray();
        Assert.Equal(9, s.Length);
        Assert.Equal(2.5f, s[0], 1e-6f);                          // information mean
        Assert.Equal(4f, s[1]);                                    // information max
        Assert.Equal(Math.Sqrt(5.0 / 3.0), s[2], 1e-6);            // unbiased std of 1..4
        Assert.Equal(new[] { 0f, 0f, 0f }, s[3..6]);               // perspectival
        Assert.Equal(3f, s[6], 1e-6f);
        Assert.Equal(6f, s[7]);
        Assert.Equal(2.0, s[8], 1e-6);                             // std of 2,2,2,6 (unbiased) = 2
    }

    [Fact]
    public void Forward_WeightsArePositiveAndSumToOne()
    {
        var model = new ArrCocModel(queryDim: 12, seed: 3);
        using var maps = rand(2, 3, 20);
        using var query = randn(2, 12);
        using var weights = model.Balancer.forward(maps, query);
        Assert.Equal(new long[] { 2, 3 }, weights.shape);
        Assert.Equal(new[] { 1f, 1f }, weights.sum(1).data<float>().ToArray(), new FloatTolerance(1e-6f));
        Assert.True(weights.min().item<float>() > 0f);
    }

    [Fact]
    public void Forward_DependsOnTheQuery()
    {
        var model = new ArrCocModel(queryDim: 12, seed: 3);
        using var maps = rand(1, 3, 20);
        using var q1 = randn(1, 12);
        using var q2 = randn(1, 12);
        using var w1 = model.Balancer.forward(maps, q1);
        using var w2 = model.Balancer.forward(maps, q2);
        Assert.False(w1.allclose(w2));
    }

    [Theory]
    [InlineData(WayOfKnowing.Information)]
    [InlineData(WayOfKnowing.Perspectival)]
    [InlineData(WayOfKnowing.Participatory)]
    public void ApplyOverride_DisabledWay_ZeroWeightOthersRenormalised(WayOfKnowing off)
    {
        using var learned = tensor(new[] { 0.2f, 0.3f, 0.5f }).view(1, 3);
        using var weights = AdaptiveTensionBalancer.ApplyOverride(learned, new BalancerOverride { Disabled = new HashSet<WayOfKnowing> { off } });
        var w = weights[0].data<float>().ToArray();
        Assert.Equal(0f, w[(int)off]);
        Assert.Equal(1f, w.Sum(), 1e-6f);
        var on = WaysOfKnowing.All.Where(x => x != off).Select(x => (int)x).ToArray();
        var original = new[] { 0.2f, 0.3f, 0.5f };
        Assert.Equal(original[on[0]] / original[on[1]], w[on[0]] / w[on[1]], 1e-5f);
    }

    [Fact]
    public void ApplyOverride_FixedWeights_NormalisedAndMasked()
    {
        using var learned = tensor(new[] { 0.2f, 0.3f, 0.5f }).view(1, 3);
        var ablation = new BalancerOverride { FixedWeights = [2, 1, 1], Disabled = new HashSet<WayOfKnowing> { WayOfKnowing.Participatory } };
        using var weights = AdaptiveTensionBalancer.ApplyOverride(learned, ablation);
        Assert.Equal(new[] { 2f / 3, 1f / 3, 0f }, weights[0].data<float>().ToArray(), new FloatTolerance(1e-6f));
    }

    [Fact]
    public void Validate_AllDisabled_ClearError()
    {
        var ablation = new BalancerOverride { Disabled = WaysOfKnowing.All.ToHashSet() };
        var error = Assert.Throws<ArgumentException>(ablation.Validate);
        Assert.Contains("keep at least one", error.Message);
    }

    [Theory]
    [InlineData(new[] { 1.0, 2.0 }, "3 values")]
    [InlineData(new[] { -1.0, 2.0, 1.0 }, "non-negative")]
    [InlineData(new[] { 0.0, 0.0, 0.0 }, "sum to 0")]
    public void Validate_BadFixedWeights_ClearError(double[] fixedWeights, string expected)
    {
        var error = Assert.Throws<ArgumentException>(new BalancerOverride { FixedWeights = fixedWeights }.Validate);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Combine_WeightedSumThenMinMax()
    {
        using var maps = tensor(new float[] { 0, 1, 0.5f, /* p */ 1, 0, 0, /* q */ 0, 0, 1 }).view(1, 3, 3);
        using var weights = tensor(new[] { 0.5f, 0.25f, 0.25f }).view(1, 3);
        using var balanced = AdaptiveTensionBalancer.Combine(maps, weights);
        // raw: [0.25, 0.5, 0.5] → min-max: [0, 1, 1]
        Assert.Equal(new[] { 0f, 1f, 1f }, balanced[0].data<float>().ToArray(), new FloatTolerance(1e-6f));
    }

    [Fact]
    public void ParseList_NamesAndErrors()
    {
        Assert.Equal(new HashSet<WayOfKnowing> { WayOfKnowing.Information, WayOfKnowing.Participatory },
            WaysOfKnowing.ParseList("information, PARTICIPATORY"));
        Assert.Empty(WaysOfKnowing.ParseList(""));
        Assert.Contains("'vision'", Assert.Throws<ArgumentException>(() => WaysOfKnowing.ParseList("vision")).Message);
    }

    [Fact]
    public void ParameterNames_AreTheSeeds()
    {
        var model = new ArrCocModel(queryDim: 4, seed: 1);
        var names = model.Balancer.named_parameters().Select(p => p.name).ToArray();
        Assert.Equal(new[]
        {
            "weight_predictor.0.weight", "weight_predictor.0.bias", "weight_predictor.2.weight",
            "weight_predictor.2.bias", "weight_predictor.4.weight", "weight_predictor.4.bias",
        }, names);
    }
}
