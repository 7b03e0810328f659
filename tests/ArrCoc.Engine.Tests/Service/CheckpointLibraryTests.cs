using System.Collections.Specialized;
using ArrCoc.Core;
using ArrCoc.Core.Checkpoints;
using ArrCoc.Engine.Analysis;
using ArrCoc.Engine.Service;
using ArrCoc.Hub;
using ArrCoc.Hub.Fakes;
using ArrCoc.Engine.Checkpoints;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TorchSharp.PyBridge;

namespace ArrCoc.Engine.Tests.Service;

/// <summary>
/// The Microscope's checkpoint picker through the engine service: local checkpoints of the configured folder, the
/// configured Hub repository's (downloaded on first use), and a source that cannot be listed reported, not fatal.
/// </summary>
public sealed class CheckpointLibraryTests : FakeHubTest, IAsyncLifetime
{
    const int D = 64; // the small engine's fallback query dimension
    const string Token = "hf_LIBRARYsecret0123456789";
    const string Repository = "me/arrcoc-run";

    protected override void Arrange(FakeHub hub) => hub.ValidTokens.Add(Token);

    async Task<EngineHost> StartAsync(string folder, string repository)
    {
        var settings = EngineHost.SmallSettings();
        settings["Engine:CheckpointsFolder"] = folder;
        settings["Engine:CheckpointsRepo"] = repository;
        var hubOptions = Hub.Options(Cache.Root, Token);
        return await EngineHost.StartAsync(settings: settings, configure: s => s.AddSingleton(Options.Create(hubOptions)));
    }

    [Fact]
    public async Task Listing_OffersLocalAndHubCheckpoints_AndAHubOneAnalyzesAsItsLocalTwin()
    {
        using var dir = new TempDirectory();
        var local = CheckpointCatalogTests.SaveCheckpoint(dir.File("runs/run-a"), 3, seed: 11, queryDim: D);
        using var pushed = new TempDirectory();
        var remote = CheckpointCatalogTests.SaveCheckpoint(pushed.File("run"), 8, seed: 12, queryDim: D);
        var hub = new HubCheckpoints(Hub.Options(Cache.Root, Token));
        await hub.EnsurePrivateAsync(Repository);
        await hub.PushAsync(Repository, remote.Directory);
        await using var host = await StartAsync(dir.File("runs"), Repository);

        var listing = await host.Engine.ListCheckpointsAsync();

        Assert.Empty(listing.Problems);
        Assert.Equal(["untrained (seed 0)", "untrained (seed 1)", "local: run-a/step-000003", $"hub: {Repository} step-000008"],
            listing.Choices.Select(c => c.Label));
        var (localChoice, hubChoice) = (listing.Choices[2], listing.Choices[3]);
        Assert.Equal(local.WeightsPath, localChoice.Path);
        Assert.True(hubChoice.NeedsDownload);

        var image = await host.LoadAsync();
        var request = new AnalysisRequest { Question = "Where is the red square?" };
        var fromHub = await host.Engine.AnalyzeAsync(image, request, hubChoice);
        var fromFile = await host.Engine.AnalyzeAsync(image, request, CheckpointChoice.File(remote.WeightsPath));
        var fromLocal = await host.Engine.AnalyzeAsync(image, request, localChoice);
        var untrained = await host.Engine.AnalyzeAsync(image, request);

        Assert.StartsWith(Cache.Root, fromHub.Checkpoint);                  // downloaded into the Hugging Face cache
        Assert.Equal(fromFile.Relevance.Balanced, fromHub.Relevance.Balanced);
        Assert.Equal(fromFile.Relevance.Weights, fromHub.Relevance.Weights);
        Assert.Equal(local.WeightsPath, fromLocal.Checkpoint);
        Assert.NotEqual(untrained.Relevance.Balanced, fromLocal.Relevance.Balanced);
        Assert.NotEqual(fromLocal.Relevance.Balanced, fromHub.Relevance.Balanced);
    }

    [Fact]
    public async Task HubCheckpoint_OfTheOriginalTrainer_APyTorchFile_IsListedAndUsed()
    {
        using var dir = new TempDirectory();
        var folder = dir.File("seed-run");
        Directory.CreateDirectory(folder);
        using (var model = new ArrCocModel(D, seed: 21))
        {
            var dict = new OrderedDictionary();
            foreach (var (key, value) in model.state_dict()) dict[key] = value;
            using var stream = File.Create(Path.Combine(folder, "seed-trainer.pt"));
            PyTorchPickler.PickleStateDict(stream, dict);
        }
        var hub = new HubCheckpoints(Hub.Options(Cache.Root, Token));
        await hub.EnsurePrivateAsync(Repository);
        await hub.PushAsync(Repository, folder);
        await using var host = await StartAsync(dir.File("none"), Repository);

        var choice = Assert.Single((await host.Engine.ListCheckpointsAsync()).Choices, c => c.HubRepository is not null);
        Assert.Equal($"hub: {Repository} seed-run", choice.Label);
        var image = await host.LoadAsync();
        var request = new AnalysisRequest { Question = "Where is the red square?" };
        var fromHub = await host.Engine.AnalyzeAsync(image, request, choice);
        var fromFile = await host.Engine.AnalyzeAsync(image, request, CheckpointChoice.File(Path.Combine(folder, "seed-trainer.pt")));

        Assert.EndsWith("seed-trainer.pt", fromHub.Checkpoint);
        Assert.Equal(fromFile.Relevance.Balanced, fromHub.Relevance.Balanced);
    }

    [Fact]
    public async Task RewrittenCheckpointFile_IsReadAgain_NotServedFromTheAnalyzerCache()
    {
        using var dir = new TempDirectory();
        var file = dir.File("weights.safetensors");
        using (var first = new ArrCocModel(D, seed: 31)) ArrCocCheckpoint.Save(first, file);
        await using var host = await StartAsync(dir.Path, "");
        var choice = Assert.Single((await host.Engine.ListCheckpointsAsync()).Choices, c => c.Label == "local: weights.safetensors");
        var image = await host.LoadAsync();
        var request = new AnalysisRequest { Question = "Where is the red square?" };
        var before = await host.Engine.AnalyzeAsync(image, request, choice);

        using (var second = new ArrCocModel(D, seed: 32)) ArrCocCheckpoint.Save(second, file); // a new run, same name
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(1));
        var after = await host.Engine.AnalyzeAsync(image, request, choice);

        Assert.NotEqual(before.Relevance.Balanced, after.Relevance.Balanced);
    }

    [Fact]
    public async Task Listing_UnknownHubRepository_IsReportedAndTheRestStillListed()
    {
        using var dir = new TempDirectory();
        CheckpointCatalogTests.SaveCheckpoint(dir.Path, 5, seed: 13, queryDim: D);
        await using var host = await StartAsync(dir.Path, "me/absent");

        var listing = await host.Engine.ListCheckpointsAsync();

        Assert.Contains("local: step-000005", listing.Choices.Select(c => c.Label));
        var problem = Assert.Single(listing.Problems);
        Assert.StartsWith("hub: me/absent: ", problem);
        Assert.DoesNotContain(Token, problem);
    }

    [Fact]
    public async Task HubCheckpoint_Offline_NotInTheCache_IsAClearError()
    {
        var offline = new HubOptions(_ => null) { Endpoint = Hub.BaseUrl, CacheDir = Cache.Root, Offline = true };
        var settings = EngineHost.SmallSettings();
        settings["Engine:CheckpointsRepo"] = Repository;
        await using var host = await EngineHost.StartAsync(settings: settings, configure: s => s.AddSingleton(Options.Create(offline)));

        var listing = await host.Engine.ListCheckpointsAsync();
        Assert.Contains("offline", Assert.Single(listing.Problems));
        var image = await host.LoadAsync();
        var choice = CheckpointChoice.Hub(Repository, new CheckpointEntry { Name = "step-000008", Source = CheckpointSource.Hub, Path = "checkpoints/step-000008/arrcoc.safetensors" });

        var error = await Assert.ThrowsAnyAsync<IOException>(() => host.Engine.AnalyzeAsync(image, new AnalysisRequest { Question = "What?" }, choice));
        Assert.Contains("hub: me/arrcoc-run step-000008", error.Message);
    }
}
