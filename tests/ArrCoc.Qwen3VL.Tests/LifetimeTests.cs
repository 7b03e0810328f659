using ArrCoc.Qwen3VL.Generation;
using static TorchSharp.torch;

namespace ArrCoc.Qwen3VL.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "serial (process-wide tensor counts)";
}

/// <summary>Requests leave no live tensors behind (process-wide count, so this runs alone).</summary>
[Collection(SerialCollection.Name)]
public sealed class LifetimeTests
{
    [Fact]
    public async Task PrepareAndGenerate_Repeated_LiveTensorCountStaysFlat()
    {
        using var dir = new TempDirectory();
        Fixture.Qwen3VLFixture.Write(dir.Path, new Fixture.FixtureOptions { Tied = true });
        using var pipeline = Qwen3VLPipeline.Load(dir.Path);

        async Task Request()
        {
            using var prompt = pipeline.Prepare(FixtureCheckpoints.Image(200, 150), "What is in this image?");
            await foreach (var _ in pipeline.GenerateAsync(prompt, new GenerationOptions { DoSample = true, Seed = 3, MaxNewTokens = 6 })) { }
        }

        await Request();                                   // warm-up: lazily created state
        Finalizers.RunAll();                               // earlier garbage is counted off now, not during the requests
        var before = Tensor.TotalCount;
        for (var i = 0; i < 3; i++) await Request();
        var after = Tensor.TotalCount;
        Assert.True(after <= before, $"{after - before} tensors left alive after 3 requests");
    }
}
