using System.Text.Json;
using ArrCoc.Cli.Commands;
using ArrCoc.Hub.Fakes;
using ArrCoc.Qwen3VL.Fixture;

namespace ArrCoc.Cli.Tests;

/// <summary>`arrcoc make-vqa` → `train` → `validate` on the fixture model (4 × 4 cells, K = 2), and train --push-to.</summary>
public sealed class TrainValidateCommandTests : FakeHubTest, IAsyncLifetime
{
    const string Token = "hf_CLItrainSECRET42";
    readonly TempDirectory _temp = new();

    protected override void Arrange(FakeHub hub) => hub.ValidTokens.Add(Token);

    string Model => Path.Combine(_temp.Path, "model");

    string Data => Path.Combine(_temp.Path, "vqa");

    string Run(string name) => Path.Combine(_temp.Path, name);

    async Task Prepare()
    {
        Qwen3VLFixture.Write(Model, new FixtureOptions());
        Assert.Equal(0, (await CliHarness.Run("make-vqa", "--out", Data, "--n", "6")).ExitCode);
        Assert.Equal(0, (await CliHarness.Run("make-vqa", "--out", Data, "--n", "3", "--split", "val2014", "--seed", "1")).ExitCode);
    }

    static string[] Small => ["--grid", "4", "--k", "2"];

    [Fact]
    public async Task MakeVqaTrainValidate_Fixture_CheckpointsLogsAndBothAccuracies()
    {
        await Prepare();
        var (code, output, errors) = await CliHarness.Run(["train", "--model", Model, "--data", Data, .. Small, "--steps", "4", "--batch", "2", "--checkpoint-every", "2", "--out", Run("run")]);
        Assert.True(code == 0, errors);
        Assert.Contains("step 4/4  loss ", errors);
        Assert.Contains("saved checkpoint", errors);
        Assert.Contains("trained 4 steps", output);
        Assert.Equal(["step-000002", "step-000004"], Directory.GetDirectories(Path.Combine(Run("run"), "checkpoints")).Select(Path.GetFileName).Order());
        Assert.Equal(5, File.ReadAllLines(Path.Combine(Run("run"), "train_log.csv")).Length); // header + 4 steps

        var records = Path.Combine(_temp.Path, "val.jsonl");
        (code, output, errors) = await CliHarness.Run(["validate", "--model", Model, "--data", Data, .. Small, "--checkpoint", Run("run"), "--max-new-tokens", "3", "--out", records]);
        Assert.True(code == 0, errors);
        Assert.Contains("[3/3]", errors);
        Assert.Contains("| all | 3 |", output);
        using var last = JsonDocument.Parse(output.TrimEnd().Split('\n')[^1]);
        var summary = last.RootElement.GetProperty("validate");
        Assert.Equal(3, summary.GetProperty("questions").GetInt32());
        Assert.Equal(2, summary.GetProperty("k").GetInt32());
        Assert.True(summary.GetProperty("arrcoc_accuracy").GetDouble() >= 0);
        Assert.Equal(3, File.ReadAllLines(records).Length);
    }

    [Fact]
    public async Task TrainResume_ContinuesTheRunAndSaysWhichFlagsAreIgnored()
    {
        await Prepare();
        var relativeModel = Path.GetRelativePath(Environment.CurrentDirectory, Model); // resumable from any folder: stored in full
        Assert.Equal(0, (await CliHarness.Run(["train", "--model", relativeModel, "--data", Data, .. Small, "--steps", "3", "--checkpoint-every", "1", "--out", Run("run")])).ExitCode);
        using (var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(Run("run"), "checkpoints", "step-000001", "state.json"))))
            Assert.Equal(Model, state.RootElement.GetProperty("model").GetString());
        Directory.Delete(Path.Combine(Run("run"), "checkpoints", "step-000003"), recursive: true);

        var (code, output, errors) = await CliHarness.Run("train", "--resume", Path.Combine(Run("run"), "checkpoints", "step-000002"), "--lr", "0.5");
        Assert.True(code == 0, errors);
        Assert.Contains("--lr ignored", errors);
        Assert.Contains("resuming at step 2", errors);
        Assert.Contains("trained 1 steps", output);
        Assert.Equal([1, 2, 3], File.ReadLines(Path.Combine(Run("run"), "train_log.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("step").GetInt32()));
    }

    [Fact]
    public async Task TrainPushTo_FakeHub_PrivateRepositoryWithEachCheckpoint()
    {
        await Prepare();
        var run = await CliRun.RunAsync(TrainCommand.Create(() => Hub.Options(Cache.Root, Token)),
            ["train", "--model", Model, "--data", Data, .. Small, "--steps", "2", "--checkpoint-every", "1", "--out", Run("run"), "--push-to", "me/arrcoc-run"]);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("verified: Hub model repository me/arrcoc-run is private", run.Stderr);
        Assert.Contains("pushed checkpoints/step-000002 to me/arrcoc-run", run.Stderr);
        var repo = Hub.Model("me/arrcoc-run")!;
        Assert.True(repo.Private);
        Assert.Equal(
            ["checkpoints/step-000001/arrcoc.safetensors", "checkpoints/step-000001/optimizer.bin", "checkpoints/step-000001/state.json",
             "checkpoints/step-000002/arrcoc.safetensors", "checkpoints/step-000002/optimizer.bin", "checkpoints/step-000002/state.json"],
            repo.Files.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(File.ReadAllBytes(Path.Combine(Run("run"), "checkpoints", "step-000002", "arrcoc.safetensors")), repo.Files["checkpoints/step-000002/arrcoc.safetensors"].Content);
        Assert.DoesNotContain(Token, run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrainPushTo_NoToken_FailsBeforeTraining()
    {
        await Prepare();
        var run = await CliRun.RunAsync(TrainCommand.Create(() => Hub.Options(Cache.Root)),
            ["train", "--model", Model, "--data", Data, .. Small, "--steps", "2", "--out", Run("run"), "--push-to", "me/arrcoc-run"]);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("HF_TOKEN", run.Stderr);
        Assert.False(Directory.Exists(Run("run")));
    }

    [Theory]
    [InlineData("--steps", "0", "--steps must be at least 1")]
    [InlineData("--k", "17", "16")]
    public async Task Train_BadOptions_OneLineError(string flag, string value, string expected)
    {
        var (code, _, errors) = await CliHarness.Run("train", "--model", Model, "--data", Data, "--grid", "4", flag, value);
        Assert.Equal(1, code);
        Assert.StartsWith("error: ", errors);
        Assert.Contains(expected, errors);
    }

    [Fact]
    public async Task Train_NoData_NamesTheFlagAndBrokenDataNamesTheFile()
    {
        var (code, _, errors) = await CliHarness.Run("train", "--model", Model);
        Assert.Equal(1, code);
        Assert.Contains("--data is required", errors);

        Directory.CreateDirectory(Data);
        File.WriteAllText(Path.Combine(Data, "v2_OpenEnded_mscoco_train2014_questions.json"), "{\"questions\": [");
        File.WriteAllText(Path.Combine(Data, "v2_mscoco_train2014_annotations.json"), "{\"annotations\": []}");
        Directory.CreateDirectory(Path.Combine(Data, "images", "train2014"));
        (code, _, errors) = await CliHarness.Run("train", "--model", Model, "--data", Data, "--grid", "4", "--k", "2");
        Assert.Equal(1, code);
        Assert.Contains("v2_OpenEnded_mscoco_train2014_questions.json: not valid JSON", errors);
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _temp.Dispose();
    }
}
