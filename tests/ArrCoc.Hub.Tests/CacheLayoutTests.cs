using System.Text;
using ArrCoc.Hub.Fakes;

namespace ArrCoc.Hub.Tests;

/// <summary>A download lays out the cache exactly as huggingface_hub does, and a cache it wrote is reused as is.</summary>
public sealed class CacheLayoutTests : FakeHubTest, IAsyncLifetime
{

    [Fact]
    public async Task DownloadAsync_FreshCache_LaysOutBlobsSnapshotsAndRefsLikeHuggingfaceHub()
    {
        var repo = FakeRepo.SmallModel("Qwen/Tiny-VL");
        var nested = new FakeFile("images/notes.txt", Encoding.UTF8.GetBytes("nested\n"), lfs: false);
        repo.Files[nested.Path] = nested;
        Hub.Add(repo);
        using var downloader = new HubDownloader(Hub.Options(Cache.Root));

        var result = await downloader.DownloadAsync(RepoId.Parse("Qwen/Tiny-VL"), "main", FileSelection.AllFiles);

        var c = repo.Commit;
        var expected = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["blobs"] = "dir",
            ["refs"] = "dir",
            ["refs/main"] = CacheTree.File(Encoding.ASCII.GetBytes(c)), // the commit, no newline
            ["snapshots"] = "dir",
            [$"snapshots/{c}"] = "dir",
            [$"snapshots/{c}/images"] = "dir",
        };
        foreach (var file in repo.Files.Values)
        {
            expected[$"blobs/{file.Etag}"] = CacheTree.File(file.Content);
            var ups = string.Concat(Enumerable.Repeat("../", file.Path.Count(ch => ch == '/') + 2));
            expected[$"snapshots/{c}/{file.Path}"] = $"link:{ups}blobs/{file.Etag}";
        }
        var folder = Path.Combine(Cache.Root, "models--Qwen--Tiny-VL");
        Assert.Equal(CacheTree.Text(expected), CacheTree.Text(CacheTree.Describe(folder)));
        Assert.Equal(Path.Combine(folder, "snapshots", c), result.Folder);
        Assert.Equal(repo.Files.Count, result.FilesDownloaded);
        Assert.Equal(repo.Files["model.safetensors"].Content, File.ReadAllBytes(Path.Combine(result.Folder, "model.safetensors")));
        Assert.Equal(["models--Qwen--Tiny-VL", ".locks"], Directory.EnumerateFileSystemEntries(Cache.Root).Select(Path.GetFileName).OrderDescending());
        Assert.True(File.Exists(Path.Combine(Cache.Root, ".locks", "models--Qwen--Tiny-VL", repo.Files["model.safetensors"].Sha256 + ".lock")));
    }

    [Fact]
    public async Task DownloadAsync_ModelFilesSelection_SkipsReadmeAndSubfolders()
    {
        var repo = FakeRepo.SmallModel("Qwen/Tiny-VL");
        repo.Files["images/notes.txt"] = new FakeFile("images/notes.txt", [1, 2, 3], lfs: false);
        Hub.Add(repo);
        using var downloader = new HubDownloader(Hub.Options(Cache.Root));

        var result = await downloader.DownloadAsync(RepoId.Parse("Qwen/Tiny-VL"));

        Assert.Equal(["config.json", "model.safetensors", "tokenizer_config.json"], result.Files.Select(f => f.Path).Order());
        Assert.DoesNotContain(Hub.RequestsTo("/resolve/"), r => r.PathAndQuery.Contains("README", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ResolveAsync_CacheWrittenInHuggingfaceHubLayout_IsReusedWithZeroRequests()
    {
        const string commit = "0123456789abcdef0123456789abcdef01234567";
        var repoFolder = Path.Combine(Cache.Root, "models--Qwen--Qwen3-VL-2B-Instruct");
        var config = Encoding.UTF8.GetBytes("{\"model_type\": \"qwen3_vl\"}");
        var weights = new byte[] { 1, 2, 3, 4 };
        var configEtag = FakeFile.GitBlobSha1(config);
        var weightsEtag = new FakeFile("w", weights, lfs: true).Sha256;
        Directory.CreateDirectory(Path.Combine(repoFolder, "blobs"));
        Directory.CreateDirectory(Path.Combine(repoFolder, "refs"));
        Directory.CreateDirectory(Path.Combine(repoFolder, "snapshots", commit));
        File.WriteAllBytes(Path.Combine(repoFolder, "blobs", configEtag), config);
        File.WriteAllBytes(Path.Combine(repoFolder, "blobs", weightsEtag), weights);
        File.WriteAllText(Path.Combine(repoFolder, "refs", "main"), commit);
        File.CreateSymbolicLink(Path.Combine(repoFolder, "snapshots", commit, "config.json"), $"../../blobs/{configEtag}");
        File.CreateSymbolicLink(Path.Combine(repoFolder, "snapshots", commit, "model.safetensors"), $"../../blobs/{weightsEtag}");
        var resolver = new ModelResolver(Hub.Options(Cache.Root));

        var model = await resolver.ResolveAsync("Qwen/Qwen3-VL-2B-Instruct");

        Assert.Equal(ModelSource.Cache, model.Source);
        Assert.Equal(Path.Combine(repoFolder, "snapshots", commit), model.Folder);
        Assert.Equal(commit, model.Commit);
        Assert.Empty(Hub.Requests);
        Assert.Empty(Hub.Cdn.Requests);
    }

    [Fact]
    public async Task ResolveAsync_AfterDownload_SecondCallMakesNoRequest()
    {
        Hub.Add(FakeRepo.SmallModel("Qwen/Tiny-VL"));
        var resolver = new ModelResolver(Hub.Options(Cache.Root));

        var first = await resolver.ResolveAsync("Qwen/Tiny-VL");
        var requests = Hub.Requests.Count;
        var second = await resolver.ResolveAsync("Qwen/Tiny-VL@main");

        Assert.Equal(ModelSource.Downloaded, first.Source);
        Assert.Equal(ModelSource.Cache, second.Source);
        Assert.Equal(first.Folder, second.Folder);
        Assert.Equal(requests, Hub.Requests.Count);
    }
}
