using ArrCoc.Hub.Fakes;

namespace ArrCoc.Hub.Tests;

/// <summary>Tokens, redirects, Hub errors and retries as the user meets them.</summary>
public sealed class AccessTests : FakeHubTest, IAsyncLifetime
{
    const string Token = "hf_TESTsecretTOKEN0123456789";
    readonly RepoId id = RepoId.Parse("Qwen/Tiny-VL");

    protected override void Arrange(FakeHub hub)
    {
        hub.ValidTokens.Add(Token);
        hub.Add(FakeRepo.SmallModel("Qwen/Tiny-VL"));
    }

    [Fact]
    public async Task DownloadAsync_WithToken_SendsItToTheHubButNotToTheCdn()
    {
        using var downloader = new HubDownloader(Hub.Options(Cache.Root, Token));

        await downloader.DownloadAsync(id);

        Assert.NotEmpty(Hub.RequestsTo("/resolve/"));
        Assert.All(Hub.Requests, r => Assert.Equal("Bearer " + Token, r.Authorization));
        Assert.NotEmpty(Hub.Cdn.Requests);
        Assert.All(Hub.Cdn.Requests, r => Assert.Null(r.Authorization));
    }

    [Theory]
    [InlineData(307)]
    [InlineData(302)]
    [InlineData(301)]
    public async Task DownloadAsync_RenamedRepository_FollowsTheRelativeRedirectKeepingTheToken(int status)
    {
        Hub.Renamed["Qwen/Old-Name"] = "Qwen/Tiny-VL";
        Hub.RenamedStatus = status;
        using var downloader = new HubDownloader(Hub.Options(Cache.Root, Token));

        var result = await downloader.DownloadAsync(RepoId.Parse("Qwen/Old-Name"));

        Assert.True(File.Exists(Path.Combine(result.Folder, "model.safetensors")));
        Assert.NotEmpty(Hub.RequestsTo("/Qwen/Tiny-VL/resolve/"));
        Assert.All(Hub.Requests, r => Assert.Equal("Bearer " + Token, r.Authorization));
    }

    [Fact]
    public async Task DownloadAsync_UnknownModel_SaysNoSuchModelAndHowToUseAToken()
    {
        using var downloader = new HubDownloader(Hub.Options(Cache.Root));

        var error = await Assert.ThrowsAsync<RepositoryNotFoundException>(() => downloader.DownloadAsync(RepoId.Parse("Qwen/Nope")));

        Assert.Contains("no such model or revision", error.Message, StringComparison.Ordinal);
        Assert.Contains("HF_TOKEN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DownloadAsync_UnknownRevision_SaysNoSuchRevision()
    {
        using var downloader = new HubDownloader(Hub.Options(Cache.Root));

        var error = await Assert.ThrowsAsync<RevisionNotFoundException>(() => downloader.DownloadAsync(id, "v9"));

        Assert.Contains("no such model or revision", error.Message, StringComparison.Ordinal);
        Assert.Contains("'v9'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DownloadAsync_PrivateModelWithoutToken_TellsToSetHfToken()
    {
        var secret = FakeRepo.SmallModel("acme/Private-VL");
        secret.Private = true;
        Hub.Add(secret);
        using var anonymous = new HubDownloader(Hub.Options(Cache.Root));
        using var withToken = new HubDownloader(Hub.Options(Cache.Root, Token));

        var error = await Assert.ThrowsAsync<RepositoryNotFoundException>(() => anonymous.DownloadAsync(RepoId.Parse("acme/Private-VL")));
        var result = await withToken.DownloadAsync(RepoId.Parse("acme/Private-VL"));

        Assert.Contains("set HF_TOKEN", error.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(result.Folder, "config.json")));
    }

    [Fact]
    public async Task DownloadAsync_GatedModel_SaysToAcceptTheConditionsOrAskForAccess()
    {
        var gated = FakeRepo.SmallModel("meta/Gated-VL");
        gated.Gated = true;
        Hub.Add(gated);
        using var anonymous = new HubDownloader(Hub.Options(Cache.Root));
        using var notApproved = new HubDownloader(Hub.Options(Cache.Root, Token));

        var noToken = await Assert.ThrowsAsync<GatedRepositoryException>(() => anonymous.DownloadAsync(RepoId.Parse("meta/Gated-VL")));
        var refused = await Assert.ThrowsAsync<GatedRepositoryException>(() => notApproved.DownloadAsync(RepoId.Parse("meta/Gated-VL")));

        Assert.Contains("accept its conditions", noToken.Message, StringComparison.Ordinal);
        Assert.Contains("request it at", refused.Message, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task DownloadAsync_InvalidToken_SaysTheTokenWasRejectedWithoutShowingIt()
    {
        Hub.EchoAuthorizationInErrors = true;
        const string wrong = "hf_WRONGtoken999";
        var logs = new CapturingLoggerFactory();
        using var downloader = new HubDownloader(Hub.Options(Cache.Root, wrong), logs);

        var error = await Assert.ThrowsAsync<HubAuthenticationException>(() => downloader.DownloadAsync(id));

        Assert.Contains("rejected the token", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Errors_ServerEchoesTheToken_MessageAndLogsAreRedacted()
    {
        Hub.EchoAuthorizationInErrors = true;
        var gated = FakeRepo.SmallModel("meta/Gated-VL");
        gated.Gated = true;
        Hub.Add(gated);
        Hub.FailNext("/api/models/meta/Gated-VL", 500, times: 2);
        var logs = new CapturingLoggerFactory();
        using var downloader = new HubDownloader(Hub.Options(Cache.Root, Token), logs);

        var error = await Assert.ThrowsAsync<GatedRepositoryException>(() => downloader.DownloadAsync(RepoId.Parse("meta/Gated-VL")));

        Assert.Contains(SecretRedactor.Mask, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, error.ToString(), StringComparison.Ordinal);
        Assert.Contains("retry", logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DownloadAsync_Transient429And500_AreRetriedAndSucceed()
    {
        Hub.FailNext("/api/models/Qwen/Tiny-VL/revision", 429);
        Hub.FailNext("/api/models/Qwen/Tiny-VL/revision", 500);
        Hub.FailNext("/Qwen/Tiny-VL/resolve", 503);
        using var downloader = new HubDownloader(Hub.Options(Cache.Root));

        var result = await downloader.DownloadAsync(id);

        Assert.Equal(3, Hub.RequestsTo("/revision/").Count);
        Assert.True(File.Exists(Path.Combine(result.Folder, "config.json")));
    }

    [Fact]
    public async Task DownloadAsync_RateLimitedBeyondRetries_SaysSoWithTheResetTime()
    {
        var options = Hub.Options(Cache.Root);
        options.MaxRetries = 2;
        Hub.FailNext("/api/models/Qwen/Tiny-VL/revision", 429, times: 3);
        using var downloader = new HubDownloader(options);

        var error = await Assert.ThrowsAsync<HubRateLimitedException>(() => downloader.DownloadAsync(id));

        Assert.Equal(3, Hub.RequestsTo("/revision/").Count);
        Assert.Contains("rate-limiting", error.Message, StringComparison.Ordinal);
        Assert.Contains("resets in 1 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DownloadAsync_PagedTree_FollowsLinkToEveryPage()
    {
        Hub.TreePageSize = 1;
        using var downloader = new HubDownloader(Hub.Options(Cache.Root));

        var result = await downloader.DownloadAsync(id, selection: FileSelection.AllFiles);

        Assert.Equal(4, result.Files.Count);
        Assert.Equal(4, Hub.RequestsTo("/tree/").Count);
    }

    [Fact]
    public async Task DownloadAsync_NotEnoughDiskSpace_FailsBeforeDownloadingWithBothNumbers()
    {
        using var downloader = new HubDownloader(Hub.Options(Cache.Root), freeSpace: _ => 1000);

        var error = await Assert.ThrowsAsync<InsufficientDiskSpaceException>(() => downloader.DownloadAsync(id));

        Assert.Equal(1000, error.AvailableBytes);
        Assert.True(error.NeededBytes >= 300_000);
        Assert.Contains("1000 bytes free", error.Message, StringComparison.Ordinal);
        Assert.Empty(Hub.RequestsTo("/resolve/"));
    }

    [Fact]
    public async Task ResolveAsync_OfflineWithEmptyCache_FailsClearlyWithoutAnyRequest()
    {
        var options = Hub.Options(Cache.Root);
        options.Offline = true;
        var resolver = new ModelResolver(options);

        var error = await Assert.ThrowsAsync<ModelNotCachedException>(() => resolver.ResolveAsync("Qwen/Tiny-VL"));

        Assert.Contains("HF_HUB_OFFLINE", error.Message, StringComparison.Ordinal);
        Assert.Contains("arrcoc download Qwen/Tiny-VL", error.Message, StringComparison.Ordinal);
        Assert.Empty(Hub.Requests);
    }

    [Fact]
    public async Task ResolveAsync_OfflineWithCachedModel_UsesTheCache()
    {
        var online = await new ModelResolver(Hub.Options(Cache.Root)).ResolveAsync("Qwen/Tiny-VL");
        var requests = Hub.Requests.Count;
        var options = Hub.Options(Cache.Root);
        options.Offline = true;

        var offline = await new ModelResolver(options).ResolveAsync("Qwen/Tiny-VL");

        Assert.Equal(online.Folder, offline.Folder);
        Assert.Equal(ModelSource.Cache, offline.Source);
        Assert.Equal(requests, Hub.Requests.Count);
    }

    [Fact]
    public async Task ResolveAsync_IncompleteSnapshot_DownloadsTheMissingFiles()
    {
        var resolver = new ModelResolver(Hub.Options(Cache.Root));
        var first = await resolver.ResolveAsync("Qwen/Tiny-VL");
        File.Delete(Path.Combine(first.Folder, "model.safetensors"));

        var second = await resolver.ResolveAsync("Qwen/Tiny-VL");

        Assert.Equal(ModelSource.Downloaded, second.Source);
        Assert.True(File.Exists(Path.Combine(second.Folder, "model.safetensors")));
        Assert.Single(Hub.Cdn.Requests, r => r.Method == "GET"); // the blob was still cached: only relinked
    }

    [Fact]
    public async Task ResolveAsync_LocalFolder_IsUsedAsIsWithoutRequests()
    {
        var resolver = new ModelResolver(Hub.Options(Cache.Root));

        var model = await resolver.ResolveAsync(Cache.Root);

        Assert.Equal(ModelSource.LocalFolder, model.Source);
        Assert.Equal(Cache.Root, model.Folder);
        Assert.Empty(Hub.Requests);
    }
}
