using ArrCoc.Cli.Commands;
using ArrCoc.Cli.Hub;
using ArrCoc.Hub;
using ArrCoc.Hub.Fakes;

namespace ArrCoc.Cli.Tests;

public sealed class DeployCommandTests : FakeHubTest, IAsyncLifetime
{
    const string Token = "hf_CLIdeploySECRET77";
    readonly SampleProject project = new();

    protected override void Arrange(FakeHub hub) => hub.ValidTokens.Add(Token);

    Task<CliRun> RunAsync(params string[] args) =>
        CliRun.RunAsync(DeployCommand.Create(() => Hub.Options(Cache.Root, Token), () => new GitHubOptions(_ => null)),
            ["deploy", "--path", project.Root, "--poll", "0.001", .. args]);

    [Fact]
    public void Tokens_OnlyFromHfTokenAndGitHubToken()
    {
        using var home = new TempDirectory();
        File.WriteAllText(home.File("token"), "hf_fromTheTokenFile");               // what `hf auth login` writes
        var other = new Dictionary<string, string?> { ["HF_HOME"] = home.Path, ["HUGGING_FACE_HUB_TOKEN"] = "hf_legacy", ["GH_TOKEN"] = "gh_cli" };
        Assert.Null(HubCliOptions.ForWrites(n => other.GetValueOrDefault(n)).Token);
        Assert.Null(new GitHubOptions(n => other.GetValueOrDefault(n)).Token);
        Assert.Equal("hf_legacy", new HubOptions(n => other.GetValueOrDefault(n)).Token);           // downloads do accept those

        var named = new Dictionary<string, string?>(other) { ["HF_TOKEN"] = " hf_named ", ["GITHUB_TOKEN"] = "ghp_named" };
        Assert.Equal("hf_named", HubCliOptions.ForWrites(n => named.GetValueOrDefault(n)).Token);
        Assert.Equal("ghp_named", new GitHubOptions(n => named.GetValueOrDefault(n)).Token);
    }

    [Fact]
    public async Task Deploy_DryRun_PrintsThePlanAndChangesNothing()
    {
        var run = await RunAsync("--space", "me/microscope", "--hardware", "t4-small", "--dry-run");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("plan for Space me/microscope", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("hardware: t4-small", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("dry run: nothing was changed", run.Stdout, StringComparison.Ordinal);
        Assert.Empty(Hub.Requests);
    }

    [Fact]
    public async Task Deploy_FakeHub_ReachesRunningAndNeverPrintsTheToken()
    {
        var run = await RunAsync("--space", "me/microscope", "--model", "Qwen/Qwen3-VL-2B-Instruct", "--variable", "Engine__Device=cpu", "--pass-hf-token");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("verified: Space me/microscope is private", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("running: https://me-microscope.hf.space", run.Stdout, StringComparison.Ordinal);
        Assert.Equal("cpu", Hub.Spaces["me/microscope"].Variables["Engine__Device"]);
        Assert.Equal(Token, Hub.Spaces["me/microscope"].Secrets["HF_TOKEN"]);
        Assert.DoesNotContain(Token, run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_BuildError_ExitsOneWithTheHubsMessage()
    {
        var space = Hub.AddSpace("me/microscope", isPrivate: true);
        space.Stages = ["BUILDING", "BUILD_ERROR"];
        space.ErrorMessage = "Build failed with exit code: 1";

        var run = await RunAsync("--space", "me/microscope");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: Space me/microscope stopped in BUILD_ERROR: Build failed with exit code: 1", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("stage: BUILD_ERROR", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_BadVariable_ExitsOne()
    {
        var run = await RunAsync("--space", "me/microscope", "--variable", "NOEQUALS", "--dry-run");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("expected KEY=VALUE", run.Stderr, StringComparison.Ordinal);
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        project.Dispose();
    }
}
