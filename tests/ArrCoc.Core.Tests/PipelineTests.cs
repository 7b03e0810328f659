using ArrCoc.Core.Balancing;
using TorchSharp;
using static TorchSharp.torch;

namespace ArrCoc.Core.Tests;

public class PipelineTests
{
    static RelevancePipeline Pipeline(int d = 16, long seed = 3) => new(new ArrCocModel(d, seed));

    [Fact]
    public void Run_HoldsEveryIntermediateWithConsistentShapes()
    {
        var pipeline = Pipeline();
        using var image = TestImages.Random(96, 160, seed: 1);   // grid 3 × 5
        using var query = randn(16);
        var result = pipeline.Run(image, query, k: 6);
        Assert.Equal((3, 5), (result.Rows, result.Columns));
        Assert.Equal(13, result.Texture.Length);
        Assert.All(result.Texture, c => Assert.Equal(15, c.Length));
        Assert.All(new[] { result.Information, result.Perspectival, result.Participatory, result.Balanced }, m => Assert.Equal(15, m.Length));
        Assert.Equal(6, result.Kept.Length);
        Assert.Equal(6, result.Budgets.Length);
        Assert.Equal(1f, result.Weights.Sum(), 1e-5f);
        Assert.Equal(result.Kept.Order(), result.Kept);
        Assert.Equal(["texture", "knowing", "balancing", "attending", "total"], result.TimingsMs.Keys);
    }

    [Fact]
    public void Run_OneCell_IsAClearError_TwoCellsAreFinite()
    {
        var pipeline = Pipeline();
        using var query = randn(16);
        using (var one = TestImages.Random(32, 32, seed: 1))
            Assert.Contains("at least 2", Assert.Throws<ArgumentException>(() => pipeline.Run(one, query, k: 1)).Message);
        using var two = TestImages.Random(32, 64, seed: 1);
        var result = pipeline.Run(two, query, k: 1);
        Assert.All(result.Balanced.Concat(result.Weights), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Run_KeptAreTheTopKOfTheBalancedMapWithTheirBudgets()
    {
        var pipeline = Pipeline();
        using var image = TestImages.Random(128, 128, seed: 2);
        using var query = randn(16);
        var result = pipeline.Run(image, query, k: 5);
        var threshold = result.Kept.Min(i => result.Balanced[i]);
        var rejected = Enumerable.Range(0, result.Cells).Except(result.Kept);
        Assert.All(rejected, i => Assert.True(result.Balanced[i] <= threshold));
        for (int j = 0; j < result.Kept.Length; j++)
            Assert.Equal(Attending.TokenAllocator.Budget(result.Balanced[result.Kept[j]]), result.Budgets[j]);
        Assert.Equal(result.Kept.Select(i => (i / 4, i % 4)), result.KeptCells);
    }

    [Fact]
    public void Run_BalancedIsTheMinMaxOfTheWeightedMaps()
    {
        var pipeline = Pipeline();
        using var image = TestImages.Random(64, 96, seed: 3);
        using var query = randn(16);
        var r = pipeline.Run(image, query, k: 2);
        var raw = Enumerable.Range(0, r.Cells).Select(i => r.Weights[0] * r.Information[i] + r.Weights[1] * r.Perspectival[i] + r.Weights[2] * r.Participatory[i]).ToArray();
        float min = raw.Min(), max = raw.Max();
        for (int i = 0; i < r.Cells; i++)
            Assert.Equal((raw[i] - min) / (max - min + 1e-8f), r.Balanced[i], 1e-5f);
    }

    [Fact]
    public void Run_Ablation_ZeroesTheWayAndKeepsLearnedWeights()
    {
        var pipeline = Pipeline();
        using var image = TestImages.Random(64, 64, seed: 4);
        using var query = randn(16);
        var ablation = new BalancerOverride { Disabled = new HashSet<WayOfKnowing> { WayOfKnowing.Participatory } };
        var plain = pipeline.Run(image, query, k: 2);
        var ablated = pipeline.Run(image, query, k: 2, ablation);
        Assert.Equal(plain.LearnedWeights, ablated.LearnedWeights);
        Assert.Equal(0f, ablated.Weights[2]);
        Assert.Equal(1f, ablated.Weights.Sum(), 1e-6f);
    }

    [Fact]
    public void Run_ImpossibleK_ClearError()
    {
        var pipeline = Pipeline();
        using var image = TestImages.Random(64, 64, seed: 5); // 4 cells
        using var query = randn(16);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => pipeline.Run(image, query, k: 5));
        Assert.Contains("(4)", error.Message);
    }

    [Fact]
    public void Run_QueryOfTheWrongDimension_ClearError()
    {
        var pipeline = Pipeline(d: 16);
        using var image = TestImages.Random(64, 64, seed: 5);
        using var query = randn(2048);
        var error = Assert.Throws<ArgumentException>(() => pipeline.Run(image, query, k: 2));
        Assert.Contains("2048", error.Message);
        Assert.Contains("D = 16", error.Message);
    }

    [Fact]
    public void Forward_WithGradients_LossReachesBothLearnedParts()
    {
        var pipeline = Pipeline();
        using var image = TestImages.Random(64, 64, seed: 6);
        using var query = randn(16);
        using var result = pipeline.Forward(image, query, k: 2);
        using var loss = result.Balanced.gather(1, result.Kept).sum();
        loss.backward();
        var grads = pipeline.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad);
        Assert.NotNull(grads["participatory_scorer.texture_proj.2.weight"]);
        Assert.True(grads["participatory_scorer.texture_proj.2.weight"]!.abs().sum().item<float>() > 0);
        Assert.True(grads["balancer.weight_predictor.0.weight"]!.abs().sum().item<float>() > 0);
    }
}

[Collection(nameof(MemoryCollection))]
public class PipelineMemoryTests
{
    [Fact]
    public void Run_ManyRequests_LiveTensorCountStaysFlat()
    {
        var pipeline = new RelevancePipeline(new ArrCocModel(32, 1));
        using var image = TestImages.Random(128, 128, seed: 7);
        using var query = randn(32);
        pipeline.Run(image, query, k: 4); // warm-up
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 20; i++) pipeline.Run(image, query, k: 4);
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}

[CollectionDefinition(nameof(MemoryCollection), DisableParallelization = true)]
public class MemoryCollection;
