using ArrCoc.Cli.Commands;
using ArrCoc.Cli.Hub;
using ArrCoc.Hub;
using ArrCoc.Hub.Fakes;

namespace ArrCoc.Cli.Tests;

public sealed class DownloadCommandTests : FakeHubTest, IAsyncLifetime
{
    const string Token = "hf_CLIsecretTOKEN42";

    protected override void Arrange(FakeHub hub)
    {
        hub.ValidTokens.Add(Token);
        var repo = FakeRepo.SmallModel("Qwen/Tiny-VL");
        repo.Private = true;
        hub.Add(repo);
    }

    [Fact]
    public async Task Download_ModelId_PrintsTheSnapshotFolderLastAndFillsTheCache()
    {
        var run = await CliRun.RunAsync(DownloadCommand.Create(() => Hub.Options(Cache.Root, Token)), "download", "Qwen/Tiny-VL");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith(Path.Combine(Cache.Root, "models--Qwen--Tiny-VL", "snapshots"), run.LastLine, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(run.LastLine, "model.safetensors")));
        Assert.Contains("3 downloaded", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("model.safetensors", run.Stderr, StringComparison.Ordinal); // the progress view
        Assert.DoesNotContain(Token, run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_SecondTime_DownloadsNothing()
    {
        var verb = DownloadCommand.Create(() => Hub.Options(Cache.Root, Token));
        await CliRun.RunAsync(verb, "download", "Qwen/Tiny-VL");

        var again = await CliRun.RunAsync(DownloadCommand.Create(() => Hub.Options(Cache.Root, Token)), "download", "Qwen/Tiny-VL@main", "--cache", Cache.Root);

        Assert.Equal(0, again.ExitCode);
        Assert.Contains("0 downloaded", again.Stdout, StringComparison.Ordinal);
        Assert.Contains("3 already cached", again.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_TokenEnv_ReadsTheTokenFromThatVariable()
    {
        var name = "ARRCOC_TEST_TOKEN_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, Token);
        try
        {
            var run = await CliRun.RunAsync(DownloadCommand.Create(() => Hub.Options(Cache.Root)), "download", "Qwen/Tiny-VL", "--token-env", name);

            Assert.Equal(0, run.ExitCode);
            Assert.All(Hub.Requests, r => Assert.Equal("Bearer " + Token, r.Authorization));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public async Task Download_PrivateModelWithoutToken_ExitsOneWithAnActionableLine()
    {
        var run = await CliRun.RunAsync(DownloadCommand.Create(() => Hub.Options(Cache.Root)), "download", "Qwen/Tiny-VL");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: no such model or revision", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("HF_TOKEN", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_OfflineAndNotCached_ExitsOneSayingHowToFixIt()
    {
        var offline = Hub.Options(Cache.Root, Token);
        offline.Offline = true;

        var run = await CliRun.RunAsync(DownloadCommand.Create(() => offline), "download", "Qwen/Tiny-VL");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("HF_HUB_OFFLINE", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(Hub.Requests);
    }

    [Fact]
    public async Task Download_UnsetTokenEnv_ExitsOne()
    {
        var run = await CliRun.RunAsync(DownloadCommand.Create(() => Hub.Options(Cache.Root)), "download", "Qwen/Tiny-VL", "--token-env", "ARRCOC_NO_SUCH_VARIABLE_X");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--token-env ARRCOC_NO_SUCH_VARIABLE_X", run.Stderr, StringComparison.Ordinal);
    }
}

public sealed class ModelOptionTests : FakeHubTest, IAsyncLifetime
{

    protected override void Arrange(FakeHub hub) => hub.Add(FakeRepo.SmallModel("Qwen/Tiny-VL"));

    [Fact]
    public async Task ResolveAsync_HubId_DownloadsOnceThenComesFromTheCache()
    {
        using var stderr = new StringWriter();

        var first = await ModelOption.ResolveAsync("Qwen/Tiny-VL", stderr, default, Hub.Options(Cache.Root));
        var second = await ModelOption.ResolveAsync("Qwen/Tiny-VL", stderr, default, Hub.Options(Cache.Root));

        Assert.Equal((ModelSource.Downloaded, ModelSource.Cache), (first.Source, second.Source));
        Assert.True(File.Exists(Path.Combine(second.Folder, "config.json")));
    }
}
