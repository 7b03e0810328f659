using System.Text.Json;
using ArrCoc.Hub.Fakes;

namespace ArrCoc.Hub.Tests;

/// <summary>The whole deploy flow against the fake Hub and the fake GitHub API.</summary>
public sealed class DeployTests : FakeHubTest, IAsyncLifetime
{
    const string Token = "hf_DEPLOYsecret0123456789";
    readonly SampleProject project = new();
    readonly StringWriter output = new();
    readonly CapturingLoggerFactory logs = new();
    readonly RepoId space = RepoId.Parse("me/microscope");

    protected override void Arrange(FakeHub hub) => hub.ValidTokens.Add(Token);

    async Task<DeployResult> DeployAsync(DeployRequest? request = null, GitHubOptions? github = null)
    {
        using var hub = new HubConnection(Hub.Options(Cache.Root, Token), logs);
        var deployer = new SpaceDeployer(hub, github ?? new GitHubOptions(_ => null), output);
        return await deployer.DeployAsync(request ?? Request(), default);
    }

    DeployRequest Request(bool dryRun = false, string? github = null, RepoId? target = null) => new()
    {
        Space = target ?? space,
        Folder = project.Root,
        DryRun = dryRun,
        GitHubRepository = github,
        PollInterval = TimeSpan.FromMilliseconds(1),
        Hardware = "t4-small",
        Variables = new Dictionary<string, string> { [DeployRequest.ModelVariable] = "Qwen/Qwen3-VL-2B-Instruct" },
        Secrets = new Dictionary<string, string> { ["HF_TOKEN"] = Token },
    };

    [Fact]
    public async Task Deploy_NewSpace_IsCreatedPrivateAndGetsExactlyTheTrackedFiles()
    {
        var result = await DeployAsync();

        var created = Hub.Spaces["me/microscope"];
        Assert.True(created.Private);
        Assert.Equal("docker", created.Sdk);
        Assert.Equal("create me/microscope private=True", Hub.SpaceEvents.First());
        Assert.Equal(SampleProject.UploadedPaths, CommittedPaths());
        Assert.Equal(SampleProject.UploadedPaths, created.Files.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(File.ReadAllBytes(Path.Combine(project.Root, "logo.png")), created.Files["logo.png"]);
        Assert.Equal("RUNNING", result.Stage);
        Assert.Equal("https://me-microscope.hf.space", result.AppUrl);
        Assert.Contains("running: https://me-microscope.hf.space", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_BinaryFile_GoesThroughPreuploadAndLfsToThePresignedUrlWithoutToken()
    {
        await DeployAsync();

        Assert.Contains("\"key\":\"lfsFile\"", Hub.LastCommitBody!.Split('\n').Single(l => l.Contains("logo.png", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("logo.png", Hub.Spaces["me/microscope"].LfsPaths);
        Assert.Single(Hub.StorageRequests);
        Assert.All(Hub.StorageRequests, r => Assert.Null(r.Authorization));
        var events = Hub.SpaceEvents.ToList();
        Assert.True(events.FindIndex(e => e.StartsWith("preupload", StringComparison.Ordinal)) < events.FindIndex(e => e.StartsWith("lfs-upload", StringComparison.Ordinal)));
        Assert.True(events.FindIndex(e => e.StartsWith("lfs-upload", StringComparison.Ordinal)) < events.FindIndex(e => e.StartsWith("commit", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Deploy_LargeLfsFile_UsesMultipartUpload()
    {
        Hub.MultipartThreshold = 1000;
        Hub.MultipartChunk = 1500;

        await DeployAsync();

        Assert.Contains(Hub.SpaceEvents, e => e.StartsWith("lfs-multipart", StringComparison.Ordinal) && e.EndsWith(" 3", StringComparison.Ordinal));
        Assert.Equal(File.ReadAllBytes(Path.Combine(project.Root, "logo.png")), Hub.Spaces["me/microscope"].Files["logo.png"]);
    }

    [Fact]
    public async Task Deploy_ExistingPublicSpace_IsMadePrivateBeforeAnyUpload()
    {
        Hub.AddSpace("me/microscope", isPrivate: false);

        await DeployAsync();

        var events = Hub.SpaceEvents.ToList();
        Assert.Equal(["create me/microscope private=True", "settings me/microscope private=True", "preupload me/microscope"], events.Take(3));
        Assert.True(Hub.Spaces["me/microscope"].Private);
    }

    [Fact]
    public async Task Deploy_TokenMayNotCreate_ExistingSpaceIsStillMadePrivateAndDeployed()
    {
        Hub.AddSpace("me/microscope", isPrivate: false);
        Hub.ForbidCreate = true;

        var result = await DeployAsync();

        Assert.Equal(["create me/microscope private=True", "settings me/microscope private=True", "preupload me/microscope"], Hub.SpaceEvents.Take(3));
        Assert.True(Hub.Spaces["me/microscope"].Private);
        Assert.Equal("RUNNING", result.Stage);
    }

    [Fact]
    public async Task Deploy_TokenMayNotCreate_NoSuchSpace_IsTheHubsError()
    {
        Hub.ForbidCreate = true;

        var error = await Assert.ThrowsAnyAsync<HubException>(() => DeployAsync());

        Assert.Empty(Hub.Spaces);
        Assert.DoesNotContain(Hub.SpaceEvents, e => e.StartsWith("preupload", StringComparison.Ordinal));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, error.StatusCode);
    }

    [Fact]
    public async Task Deploy_ReadBackStillPublic_AbortsBeforeUploadingAnything()
    {
        Hub.AddSpace("me/microscope", isPrivate: false);
        Hub.IgnoreSettingsChanges = true;

        var error = await Assert.ThrowsAsync<NotPrivateException>(() => DeployAsync());

        Assert.Contains("still reads back as public", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Hub.SpaceEvents, e => e.StartsWith("preupload", StringComparison.Ordinal) || e.StartsWith("commit", StringComparison.Ordinal));
        Assert.Empty(Hub.Spaces["me/microscope"].Files);
    }

    [Fact]
    public async Task Deploy_HardwareVariablesAndSecrets_AreSet()
    {
        await DeployAsync();

        var created = Hub.Spaces["me/microscope"];
        Assert.Equal("t4-small", created.Hardware);
        Assert.Equal("Qwen/Qwen3-VL-2B-Instruct", created.Variables[DeployRequest.ModelVariable]);
        Assert.Equal(Token, created.Secrets["HF_TOKEN"]);
    }

    [Fact]
    public async Task Deploy_BuildError_FailsWithTheHubsMessageAndTheLogTail()
    {
        var existing = Hub.AddSpace("me/microscope", isPrivate: true);
        existing.Stages = ["BUILDING", "BUILD_ERROR"];
        existing.ErrorMessage = "Build failed with exit code: 1";
        existing.BuildLogs.Add("error CS1002: ; expected");

        var error = await Assert.ThrowsAsync<SpaceFailedException>(() => DeployAsync());

        Assert.Equal("BUILD_ERROR", error.Stage);
        Assert.Contains("Build failed with exit code: 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("error CS1002", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_DryRun_PrintsThePlanAndSendsNoRequest()
    {
        await DeployAsync(Request(dryRun: true, github: "me/microscope"));

        var text = output.ToString();
        Assert.Empty(Hub.Requests);
        Assert.Contains("dry run: nothing was changed", text, StringComparison.Ordinal);
        Assert.All(SampleProject.UploadedPaths, p => Assert.Contains($"     {p} (", text, StringComparison.Ordinal));
        Assert.DoesNotContain("docs/notes.md", text, StringComparison.Ordinal);
        Assert.Contains("HF_TOKEN (value hidden)", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_SecondTimeWithoutChanges_MakesNoCommit()
    {
        await DeployAsync();
        var commits = Hub.SpaceEvents.Count(e => e.StartsWith("commit", StringComparison.Ordinal));

        await DeployAsync();

        Assert.Equal(commits, Hub.SpaceEvents.Count(e => e.StartsWith("commit", StringComparison.Ordinal)));
        Assert.Contains("nothing changed", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_Anything_NeverWritesTheTokenToOutputOrLogs()
    {
        Hub.EchoAuthorizationInErrors = true;
        await DeployAsync();
        Hub.AddSpace("me/other", isPrivate: true).Stages = ["RUNTIME_ERROR"];
        Hub.Spaces["me/other"].ErrorMessage = "crashed with " + Token;
        Hub.Spaces["me/other"].BuildLogs.Add("env HF_TOKEN=" + Token);

        var error = await Assert.ThrowsAsync<SpaceFailedException>(() => DeployAsync(new DeployRequest { Space = RepoId.Parse("me/other"), Folder = project.Root, PollInterval = TimeSpan.Zero }));

        Assert.Contains(SecretRedactor.Mask, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, output + error.ToString() + logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_WithGitHub_CreatesAPrivateRepositoryAndPushesTheBranch()
    {
        await using var github = await FakeGitHub.StartAsync();
        var options = new GitHubOptions(_ => null) { ApiUrl = github.ApiUrl, Token = github.ValidToken };

        await DeployAsync(Request(github: "octo/microscope"), options);

        var (isPrivate, bare) = github.Repositories["octo/microscope"];
        Assert.True(isPrivate);
        Assert.Equal(FakeGitHub.Git(project.Root, "rev-parse", "HEAD"), FakeGitHub.Git(bare, "rev-parse", "refs/heads/main"));
        Assert.Contains(github.Requests, r => r.Method == "POST" && r.PathAndQuery == "/api/v3/user/repos");
        Assert.DoesNotContain(github.ValidToken, output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_WithGitHub_MirrorsOnlyOnceTheSpaceRuns()
    {
        await using var github = await FakeGitHub.StartAsync();
        var options = new GitHubOptions(_ => null) { ApiUrl = github.ApiUrl, Token = github.ValidToken };
        await DeployAsync(Request(github: "octo/microscope"), options);
        var text = output.ToString();
        Assert.True(text.IndexOf("running:", StringComparison.Ordinal) < text.IndexOf("pushed branch", StringComparison.Ordinal), text);

        var failing = Hub.AddSpace("me/broken", isPrivate: true);
        failing.Stages = ["BUILDING", "BUILD_ERROR"];
        await Assert.ThrowsAsync<SpaceFailedException>(() => DeployAsync(Request(github: "octo/broken", target: RepoId.Parse("me/broken")), options));

        Assert.False(github.Repositories.ContainsKey("octo/broken"));
    }

    [Fact]
    public async Task Deploy_WithExistingPublicGitHubRepository_RefusesAndPushesNothing()
    {
        await using var github = await FakeGitHub.StartAsync();
        var bare = github.AddRepository("octo/microscope", isPrivate: false);
        var options = new GitHubOptions(_ => null) { ApiUrl = github.ApiUrl, Token = github.ValidToken };

        var error = await Assert.ThrowsAsync<NotPrivateException>(() => DeployAsync(Request(github: "octo/microscope"), options));

        Assert.Contains("exists and is public", error.Message, StringComparison.Ordinal);
        Assert.Empty(FakeGitHub.Git(bare, "for-each-ref").Trim());
    }

    [Fact]
    public async Task Deploy_GitHubOrganisation_CreatesTheRepositoryUnderIt()
    {
        await using var github = await FakeGitHub.StartAsync();
        var options = new GitHubOptions(_ => null) { ApiUrl = github.ApiUrl, Token = github.ValidToken };

        await DeployAsync(Request(github: "acme/microscope"), options);

        Assert.True(github.Repositories["acme/microscope"].Private);
        Assert.Contains(github.Requests, r => r.Method == "POST" && r.PathAndQuery == "/api/v3/orgs/acme/repos");
    }

    IEnumerable<string> CommittedPaths() => Hub.LastCommitBody!.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
        .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("value").GetProperty("path").GetString()!).Order(StringComparer.Ordinal);

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        project.Dispose();
        output.Dispose();
    }
}
