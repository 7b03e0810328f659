using System.Collections.Specialized;
using ArrCoc.Core;
using ArrCoc.Core.Checkpoints;
using ArrCoc.Engine.Checkpoints;
using ArrCoc.Engine.Training;
using ArrCoc.Hub.Fakes;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace ArrCoc.Engine.Tests;

/// <summary>The checkpoint picker's Engine API: local listing, any accepted path, Hub push/list/download.</summary>
public sealed class CheckpointCatalogTests : FakeHubTest, IAsyncLifetime
{
    const int D = 16;
    const string Token = "hf_CATALOGsecret0123456789";

    protected override void Arrange(FakeHub hub) => hub.ValidTokens.Add(Token);

    /// <summary>A training checkpoint as `arrcoc train` saves it, of a seeded (untrained) model.</summary>
    internal static TrainingCheckpoint SaveCheckpoint(string run, int step, long seed, int queryDim = D)
    {
        using var model = new ArrCocModel(queryDim, seed);
        using var optimizer = optim.AdamW(model.parameters());
        var state = new TrainingState
        {
            Step = step,
            Position = new DataPosition(0, step),
            ExamplesSeen = step,
            Model = "fixture",
            QueryDim = queryDim,
            Data = new TrainingData { Path = "data", Split = "train2014", Examples = 10, Fingerprint = "0123456789abcdef" },
            Config = new TrainingOptions(),
            Metrics = new TrainingMetrics { Loss = 2.5, LossMean10 = 2.25 },
        };
        return TrainingCheckpoint.Save(run, model, optimizer, state);
    }

    static void AssertWeights(long seed, ArrCocModel loaded)
    {
        using var expected = new ArrCocModel(D, seed);
        var a = expected.state_dict();
        Assert.All(loaded.state_dict(), kv => Assert.True(TensorAssertions.Identical(a[kv.Key], kv.Value), kv.Key));
    }

    [Fact]
    public void Entry_LooseSafetensors_ReadsTheHeaderMetadata()
    {
        using var dir = new TempDirectory();
        using (var model = new ArrCocModel(24, seed: 1))
            ArrCocCheckpoint.Save(model, dir.File("w.safetensors"), new Dictionary<string, string> { ["arrcoc.step"] = "30" });

        var metadata = CheckpointCatalog.Entry(dir.Path, dir.File("w.safetensors"), null).Metadata;

        Assert.Equal("30", metadata["arrcoc.step"]);
        Assert.Equal("24", metadata[ArrCocCheckpoint.QueryDimKey]);
    }

    [Fact]
    public void ListLocal_RunsAndLooseFiles_NamedStepsAndMetadata()
    {
        using var dir = new TempDirectory();
        SaveCheckpoint(dir.File("run-a"), 10, seed: 1);
        SaveCheckpoint(dir.File("run-a"), 2, seed: 2);
        SaveCheckpoint(dir.File("run-b"), 5, seed: 3);
        using (var model = new ArrCocModel(D, seed: 4))
        {
            var dict = new OrderedDictionary();
            foreach (var (key, value) in model.state_dict()) dict[key] = value;
            using var stream = File.Create(dir.File("seed-trainer.pt"));
            PyTorchPickler.PickleStateDict(stream, dict);
        }
        File.WriteAllText(dir.File("notes.txt"), "not a checkpoint");

        var entries = CheckpointCatalog.ListLocal(dir.Path);

        Assert.Equal(["run-a/step-000002", "run-a/step-000010", "run-b/step-000005", "seed-trainer.pt"], entries.Select(e => e.Name));
        var ten = entries[1];
        Assert.Equal(10, ten.Step);
        Assert.Equal("fixture", ten.Model);
        Assert.Equal(2.25, ten.TrainLoss);
        Assert.Equal("16", ten.Metadata["arrcoc.query_dim"]);
        Assert.Equal(CheckpointSource.Local, ten.Source);
        Assert.Null(entries[3].Step);
        AssertWeights(1, CheckpointCatalog.Load(ten.Path, D));
        AssertWeights(4, CheckpointCatalog.Load(entries[3].Path, D));
        Assert.Empty(CheckpointCatalog.ListLocal(dir.File("absent")));
    }

    [Fact]
    public void Load_CheckpointFolderOrRunFolder_TakesItsWeightsOrTheLatest()
    {
        using var dir = new TempDirectory();
        var early = SaveCheckpoint(dir.File("run"), 3, seed: 5);
        SaveCheckpoint(dir.File("run"), 12, seed: 6);
        AssertWeights(5, CheckpointCatalog.Load(early.Directory, D));
        AssertWeights(6, CheckpointCatalog.Load(dir.File("run"), D));
        var error = Assert.Throws<FileNotFoundException>(() => CheckpointCatalog.ResolveWeights(dir.Path));
        Assert.Contains("no ARR-COC checkpoint", error.Message);
        Assert.Throws<InvalidDataException>(() => CheckpointCatalog.Load(early.WeightsPath, D + 1));
    }

    [Fact]
    public void CheckpointFolder_OptimizerStateIsNotWeights()
    {
        using var dir = new TempDirectory();
        var checkpoint = SaveCheckpoint(dir.File("run"), 3, seed: 5);

        var listed = CheckpointCatalog.ListLocal(checkpoint.Directory);

        Assert.Equal([TrainingCheckpoint.WeightsFile], listed.Select(e => Path.GetFileName(e.Path)));
        Assert.False(CheckpointCatalog.IsWeightsFile(checkpoint.OptimizerPath));
        Assert.Throws<NotSupportedException>(() => CheckpointCatalog.ResolveWeights(checkpoint.OptimizerPath));
    }

    [Fact]
    public async Task Hub_PushListDownload_TheSameWeights()
    {
        using var dir = new TempDirectory();
        var first = SaveCheckpoint(dir.File("run"), 4, seed: 7);
        var second = SaveCheckpoint(dir.File("run"), 8, seed: 8);
        var hub = new HubCheckpoints(Hub.Options(Cache.Root, Token));

        await hub.EnsurePrivateAsync("me/arrcoc-run");
        await hub.PushAsync("me/arrcoc-run", first.Directory);
        await hub.PushAsync("me/arrcoc-run", second.Directory);

        Assert.True(Hub.Model("me/arrcoc-run")!.Private);
        var listed = await hub.ListAsync("me/arrcoc-run");
        Assert.Equal(["step-000004", "step-000008"], listed.Select(e => e.Name));
        Assert.Equal([4, 8], listed.Select(e => e.Step!.Value));
        Assert.Equal("checkpoints/step-000008/arrcoc.safetensors", listed[1].Path);
        Assert.All(listed, e => Assert.Equal(CheckpointSource.Hub, e.Source));

        var folder = await hub.DownloadAsync("me/arrcoc-run", "step-000008");
        AssertWeights(8, CheckpointCatalog.Load(folder, D));
        Assert.Equal(File.ReadAllBytes(second.OptimizerPath), File.ReadAllBytes(Path.Combine(folder, TrainingCheckpoint.OptimizerFile)));
        Assert.Equal(8, TrainingCheckpoint.Open(folder).State.Step);            // a downloaded checkpoint can be resumed
        Assert.Contains(CheckpointCatalog.ListLocal(Cache.Root), e => e.Step == 8);
    }
}
