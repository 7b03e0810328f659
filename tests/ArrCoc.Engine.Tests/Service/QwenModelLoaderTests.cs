using ArrCoc.Engine.Images;
using ArrCoc.Engine.Integration;
using ArrCoc.Engine.Service;
using ArrCoc.Hub.Fakes;
using ArrCoc.Qwen3VL.Fixture;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ArrCoc.Engine.Tests.Service;

/// <summary>The Microscope's model loader with a Hub id: downloaded from the fake Hub into the cache, then loaded.</summary>
public sealed class QwenModelLoaderTests : FakeHubTest, IAsyncLifetime
{
    const string Id = "Qwen/Tiny-Fixture-VL";

    protected override void Arrange(FakeHub hub)
    {
        using var folder = new TempDirectory();
        Qwen3VLFixture.Write(folder.Path, new FixtureOptions { Tied = true, Sharded = true });
        hub.Add(new FakeRepo(Id, Directory.GetFiles(folder.Path)
            .Select(f => new FakeFile(Path.GetFileName(f), File.ReadAllBytes(f), lfs: f.EndsWith(".safetensors", StringComparison.Ordinal)))
            .ToArray()));
    }

    QwenModelLoader Loader() => new(
        Options.Create(new EngineOptions { Model = Id }), Options.Create(new ArrCocOptions()), Options.Create(new ImageLimitsOptions()),
        Options.Create(Hub.Options(Cache.Root)), NullLoggerFactory.Instance);

    [Fact]
    public async Task HubId_DownloadsWithAFractionThatOnlyGrows_ThenLoads()
    {
        var reports = new List<ModelLoadReport>();

        using var answerer = await Loader().LoadAsync(new Collector(r => { lock (reports) reports.Add(r); }), default);

        Assert.NotNull(answerer);
        var downloading = reports.Where(r => r.State == ModelState.Downloading).ToList();
        Assert.True(downloading.Count >= 3, $"{downloading.Count} download reports");
        var fractions = downloading.Select(r => r.Fraction!.Value).ToList();
        Assert.Equal(0, fractions[0]);
        Assert.Equal(1, fractions[^1], 6);
        for (var i = 1; i < fractions.Count; i++)
            Assert.True(fractions[i] >= fractions[i - 1], $"the bar went back from {fractions[i - 1]:P1} to {fractions[i]:P1} at report {i}");
        Assert.Equal(ModelState.Loading, reports[^1].State);
    }

    /// <summary>Reports at once, on the reporting thread (Progress&lt;T&gt; would post them to the thread pool, unordered).</summary>
    sealed class Collector(Action<ModelLoadReport> report) : IProgress<ModelLoadReport>
    {
        public void Report(ModelLoadReport value) => report(value);
    }
}
