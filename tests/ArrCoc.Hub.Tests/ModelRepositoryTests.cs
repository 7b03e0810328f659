using ArrCoc.Hub.Fakes;

namespace ArrCoc.Hub.Tests;

/// <summary>A model repository as a private store of folders (ARR-COC's checkpoints) on the fake Hub.</summary>
public sealed class ModelRepositoryTests : FakeHubTest, IAsyncLifetime
{
    const string Token = "hf_MODELsecret0123456789";
    readonly RepoId repo = RepoId.Parse("me/arrcoc-checkpoints");

    protected override void Arrange(FakeHub hub) => hub.ValidTokens.Add(Token);

    string Folder(string name, int binaryBytes = 4096)
    {
        var folder = Path.Combine(Cache.Root, "local", name);
        Directory.CreateDirectory(folder);
        var weights = new byte[binaryBytes];
        new Random(binaryBytes).NextBytes(weights);
        weights[0] = 0; // binary: the Hub asks for LFS
        File.WriteAllBytes(Path.Combine(folder, "arrcoc.safetensors"), weights);
        File.WriteAllText(Path.Combine(folder, "state.json"), "{\"step\": 3}\n");
        return folder;
    }

    [Fact]
    public async Task EnsurePrivateThenUpload_NewRepository_CreatedPrivateWithTheFolderUnderItsPrefix()
    {
        using var hub = new HubConnection(Hub.Options(Cache.Root, Token));
        var models = new ModelRepository(hub);

        Assert.True(await models.EnsurePrivateAsync(repo, default));
        var result = await models.UploadFolderAsync(repo, Folder("step-000003"), "checkpoints/step-000003", "checkpoint step 3", default);

        var stored = Hub.Model("me/arrcoc-checkpoints")!;
        Assert.True(stored.Private);
        Assert.Equal("create model me/arrcoc-checkpoints private=True", Hub.SpaceEvents.First());
        Assert.Equal(["checkpoints/step-000003/arrcoc.safetensors", "checkpoints/step-000003/state.json"], stored.Files.Keys.Order(StringComparer.Ordinal));
        Assert.True(stored.Files["checkpoints/step-000003/arrcoc.safetensors"].Lfs);
        Assert.Equal((1, 1), (result.Regular, result.Lfs));
        Assert.All(Hub.StorageRequests, r => Assert.Null(r.Authorization));

        var (commit, files) = await models.ListFilesAsync(repo, "main", default);
        Assert.Equal(stored.Commit, commit);
        Assert.Equal(2, files.Count);
    }

    [Fact]
    public async Task Upload_ThenDownloadTheFolder_SameBytesInTheCache()
    {
        using var hub = new HubConnection(Hub.Options(Cache.Root, Token));
        var models = new ModelRepository(hub);
        await models.EnsurePrivateAsync(repo, default);
        var local = Folder("step-000006");
        await models.UploadFolderAsync(repo, local, "checkpoints/step-000006", "step 6", default);
        await models.UploadFolderAsync(repo, Folder("step-000009", 5000), "checkpoints/step-000009", "step 9", default);

        using var downloader = new HubDownloader(Hub.Options(Path.Combine(Cache.Root, "hf"), Token));
        var snapshot = await downloader.DownloadAsync(repo, "main", FileSelection.Folder("checkpoints/step-000006"));

        var downloaded = Path.Combine(snapshot.Folder, "checkpoints", "step-000006");
        Assert.Equal(File.ReadAllBytes(Path.Combine(local, "arrcoc.safetensors")), File.ReadAllBytes(Path.Combine(downloaded, "arrcoc.safetensors")));
        Assert.Equal(2, snapshot.Files.Count);
        Assert.False(Directory.Exists(Path.Combine(snapshot.Folder, "checkpoints", "step-000009")));
    }

    [Fact]
    public async Task EnsurePrivate_PublicRepositoryTheHubKeepsPublic_RefusesBeforeAnyUpload()
    {
        Hub.Add(new FakeRepo("me/arrcoc-checkpoints") { Private = false });
        Hub.IgnoreSettingsChanges = true;
        using var hub = new HubConnection(Hub.Options(Cache.Root, Token));

        var error = await Assert.ThrowsAsync<NotPrivateException>(() => new ModelRepository(hub).EnsurePrivateAsync(repo, default));

        Assert.Contains("public", error.Message);
        Assert.Contains("settings me/arrcoc-checkpoints private=True", Hub.SpaceEvents);
        Assert.DoesNotContain(Hub.SpaceEvents, e => e.StartsWith("preupload", StringComparison.Ordinal) || e.StartsWith("commit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EnsurePrivate_NoToken_SaysWhatIsNeeded()
    {
        using var hub = new HubConnection(Hub.Options(Cache.Root));
        var error = await Assert.ThrowsAsync<ArgumentException>(() => new ModelRepository(hub).EnsurePrivateAsync(repo, default));
        Assert.Contains("HF_TOKEN", error.Message);
        Assert.Empty(Hub.Requests);
    }
}
