using System.Text.Json;

namespace ArrCoc.Cli.Tests;

public class BenchAndSamplesTests
{
    [Fact]
    public async Task BenchPipeline_LastLineIsTheJsonSummary()
    {
        var (code, stdout, stderr) = await CliHarness.Run("bench", "pipeline", "--images", "2", "--size", "128");
        Assert.True(code == 0, stderr);
        var last = stdout.TrimEnd().Split('\n')[^1];
        using var json = JsonDocument.Parse(last);
        Assert.Equal("pipeline", json.RootElement.GetProperty("bench").GetString());
        var medians = json.RootElement.GetProperty("median_ms");
        foreach (var stage in new[] { "texture", "knowing", "balancing", "attending", "total" })
            Assert.True(medians.GetProperty(stage).GetDouble() >= 0, stage);
    }

    [Fact]
    public async Task Samples_WritesEveryScenePlusIndex()
    {
        using var dir = new TempDirectory();
        var (code, _, stderr) = await CliHarness.Run("samples", "--out", dir.Path);
        Assert.True(code == 0, stderr);
        using var index = JsonDocument.Parse(File.ReadAllText(dir.File("samples.json")));
        Assert.Equal(4, index.RootElement.GetArrayLength());
        foreach (var entry in index.RootElement.EnumerateArray())
            Assert.True(File.Exists(dir.File(entry.GetProperty("file").GetString()!)));
    }
}

public class MakeVqaCommandTests
{
    [Fact]
    public async Task MakeVqa_WritesALoadableDataset()
    {
        using var dir = new TempDirectory();
        var (code, stdout, stderr) = await CliHarness.Run("make-vqa", "--out", dir.Path, "--n", "8", "--split", "val2014");
        Assert.True(code == 0, stderr);
        Assert.Contains("wrote 8 questions", stdout);
        Assert.Equal(8, Engine.Vqa.VqaDataset.Load(dir.Path, "val2014").Count);
    }
}
