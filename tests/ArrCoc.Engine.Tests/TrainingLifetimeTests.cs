using ArrCoc.Engine.Training;
using static TorchSharp.torch;

namespace ArrCoc.Engine.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "serial (process-wide tensor counts)";
}

/// <summary>
/// Training steps and validated questions leave no live tensors behind (process-wide count, so this runs alone).
/// Each round starts after a full collection, so tensors that earlier tests left to the finalizer cannot be counted
/// off during a round and make it look smaller than it is. A run has a fixed cost in the count: it builds the
/// seeded ArrCocModel, and TorchSharp's <c>Parameter</c> constructor takes over its source tensor's handle without
/// counting that tensor off (one per parameter, no native memory). So a long run is compared with a short one:
/// more steps and more questions must not leave more behind.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class TrainingLifetimeTests
{
    [Fact]
    public async Task TrainAndValidate_MoreStepsAndQuestions_NoMoreLiveTensors()
    {
        using var fixture = new TrainingFixture();
        using var dir = new TempDirectory();
        int round = 0;

        async Task<long> Round(int steps, int questions)
        {
            Finalizers.RunAll();
            var before = Tensor.TotalCount;
            var options = new TrainingOptions { Grid = "4", K = 2, Steps = steps, Batch = 2, CheckpointEvery = 2 };
            new Trainer(fixture.Model, fixture.Examples, options, fixture.DataDirectory, dir.File($"run{round}")).Run();
            await new Validator(fixture.Model, new ValidationOptions { Grid = "4", K = 2, Limit = questions, MaxNewTokens = 2 })
                .RunAsync(fixture.Examples, dir.File($"val{round++}.jsonl"));
            return Tensor.TotalCount - before;
        }

        await Round(2, 1);                                 // warm-up: lazily created state
        var shortRun = await Round(2, 1);
        var longRun = await Round(8, 4);
        Assert.True(longRun <= shortRun, $"8 steps and 4 questions left {longRun} tensors alive, 2 steps and 1 question {shortRun}");
    }
}
