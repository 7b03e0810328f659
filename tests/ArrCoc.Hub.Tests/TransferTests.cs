using System.Security.Cryptography;
using ArrCoc.Hub.Fakes;

namespace ArrCoc.Hub.Tests;

/// <summary>Broken, corrupted and odd transfers: resume with Range, re-fetch on a bad hash, decode, restart.</summary>
public sealed class TransferTests : FakeHubTest, IAsyncLifetime
{
    const int WeightBytes = 1_000_000;
    FakeRepo repo = null!;
    readonly RepoId id = RepoId.Parse("Qwen/Tiny-VL");

    FakeFile Weights => repo.Files["model.safetensors"];

    string BlobPath => Path.Combine(Cache.Root, "models--Qwen--Tiny-VL", "blobs", Weights.Sha256);

    protected override void Arrange(FakeHub hub)
    {
        repo = FakeRepo.SmallModel("Qwen/Tiny-VL", WeightBytes);
        hub.Add(repo);
    }

    [Fact]
    public async Task DownloadAsync_ConnectionDroppedMidFile_ResumesWithoutRefetchingTheFirstPart()
    {
        Hub.Cdn.DropNextAfter(Weights.Sha256, 300_000);
        using var downloader = new HubDownloader(Hub.Options(Cache.Root));

        await downloader.DownloadAsync(id);

        Assert.Equal(WeightBytes, Hub.Cdn.BytesServed(Weights.Sha256));
        var gets = Hub.Cdn.Requests.Where(r => r.Method == "GET").ToList();
        Assert.Equal([null, "bytes=300000-"], gets.Select(r => r.Range));
        Assert.Equal(Weights.Content, File.ReadAllBytes(BlobPath));
        Assert.False(File.Exists(BlobPath + ".incomplete"));
    }

    [Fact]
    public async Task DownloadAsync_DroppedInAnEarlierRun_NextRunResumesFromThePartialBlob()
    {
        Hub.Cdn.DropNextAfter(Weights.Sha256, 400_000);
        var noRetries = Hub.Options(Cache.Root);
        noRetries.MaxRetries = 0;
        using (var first = new HubDownloader(noRetries))
            await Assert.ThrowsAnyAsync<IOException>(() => first.DownloadAsync(id));
        Assert.Equal(400_000, new FileInfo(BlobPath + ".incomplete").Length);

        using var second = new HubDownloader(Hub.Options(Cache.Root));
        var result = await second.DownloadAsync(id);

        Assert.Equal(WeightBytes, Hub.Cdn.BytesServed(Weights.Sha256));
        Assert.Equal("bytes=400000-", Hub.Cdn.Requests.Last(r => r.Method == "GET").Range);
        Assert.Equal(Weights.Content, File.ReadAllBytes(Path.Combine(result.Folder, "model.safetensors")));
    }

    [Fact]
    public async Task DownloadAsync_CorruptedTransfer_IsDetectedAndFetchedAgain()
    {
        Hub.Cdn.CorruptNext(Weights.Sha256);
        using var downloader = new HubDownloader(Hub.Options(Cache.Root));

        await downloader.DownloadAsync(id);

        Assert.Equal(2 * WeightBytes, Hub.Cdn.BytesServed(Weights.Sha256));
        Assert.Equal(Weights.Sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(BlobPath))));
    }

    [Fact]
    public async Task DownloadAsync_CorruptedBlobAlreadyInCache_IsDetectedAndFetchedAgain()
    {
        using (var first = new HubDownloader(Hub.Options(Cache.Root)))
            await first.DownloadAsync(id);
        var damaged = File.ReadAllBytes(BlobPath);
        damaged[12345] ^= 0x55;
        File.WriteAllBytes(BlobPath, damaged);

        using var second = new HubDownloader(Hub.Options(Cache.Root));
        var result = await second.DownloadAsync(id);

        Assert.Equal(1, result.FilesDownloaded);
        Assert.Equal(2 * WeightBytes, Hub.Cdn.BytesServed(Weights.Sha256));
        Assert.Equal(Weights.Content, File.ReadAllBytes(BlobPath));
    }

    [Fact]
    public async Task DownloadAsync_AlwaysCorrupt_FailsNamingTheFileAndBothHashes()
    {
        var options = Hub.Options(Cache.Root);
        options.MaxRetries = 1;
        Hub.Cdn.CorruptNext(Weights.Sha256, times: 2);
        using var downloader = new HubDownloader(options);

        var error = await Assert.ThrowsAsync<BlobIntegrityException>(() => downloader.DownloadAsync(id));

        Assert.Contains("model.safetensors", error.Message, StringComparison.Ordinal);
        Assert.Contains(Weights.Sha256, error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(BlobPath));
        Assert.False(File.Exists(BlobPath + ".incomplete"));
    }

    [Fact]
    public async Task DownloadAsync_CdnIgnoresRange_StartsTheFileOver()
    {
        Hub.Cdn.DropNextAfter(Weights.Sha256, 250_000);
        Hub.Cdn.IgnoreRange = true;
        using var downloader = new HubDownloader(Hub.Options(Cache.Root));

        await downloader.DownloadAsync(id);

        Assert.Equal(250_000 + WeightBytes, Hub.Cdn.BytesServed(Weights.Sha256));
        Assert.Equal(Weights.Content, File.ReadAllBytes(BlobPath));
    }

    [Fact]
    public async Task DownloadAsync_HubGzipsSmallFiles_StoresTheDecodedContent()
    {
        Hub.GzipRegularFiles = true;
        using var downloader = new HubDownloader(Hub.Options(Cache.Root));

        var result = await downloader.DownloadAsync(id);

        Assert.Equal(repo.Files["config.json"].Content, File.ReadAllBytes(Path.Combine(result.Folder, "config.json")));
    }

    [Fact]
    public async Task DownloadAsync_Progress_ReportsEachFileUpToItsSize()
    {
        var reports = new List<DownloadProgress>();
        using var downloader = new HubDownloader(Hub.Options(Cache.Root));

        await downloader.DownloadAsync(id, progress: new SyncProgress(p => { lock (reports) reports.Add(p); }));

        var last = reports.GroupBy(r => r.File).ToDictionary(g => g.Key, g => g.Last());
        Assert.Equal(["config.json", "model.safetensors", "tokenizer_config.json"], last.Keys.Order());
        Assert.All(last.Values, p => Assert.True(p.IsComplete));
        Assert.Equal(WeightBytes, last["model.safetensors"].Total);
        Assert.All(reports, p => Assert.InRange(p.Bytes, 0, p.Total));
        // Every file is announced (at 0 bytes) before any byte arrives, so summed totals never grow mid-download.
        var announced = reports.TakeWhile(r => r.Bytes == 0).Select(r => r.File).Distinct().Order();
        Assert.Equal(last.Keys.Order(), announced);
    }

    [Fact]
    public async Task DownloadAsync_SameContentTwice_DownloadsOneBlobAndLinksBoth()
    {
        repo.Files["copy.safetensors"] = new FakeFile("copy.safetensors", Weights.Content, lfs: true);
        using var downloader = new HubDownloader(Hub.Options(Cache.Root));

        var result = await downloader.DownloadAsync(id);

        Assert.Equal(WeightBytes, Hub.Cdn.BytesServed(Weights.Sha256));
        Assert.Equal(Weights.Content, File.ReadAllBytes(Path.Combine(result.Folder, "copy.safetensors")));
    }
}

/// <summary>An IProgress that calls back at once, on the reporting thread (Progress&lt;T&gt; posts to the thread pool).</summary>
public sealed class SyncProgress(Action<DownloadProgress> report) : IProgress<DownloadProgress>
{
    public void Report(DownloadProgress value) => report(value);
}
