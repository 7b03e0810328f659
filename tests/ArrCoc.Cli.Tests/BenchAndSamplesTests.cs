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

public class BenchAskCommandTests
{
    [Fact]
    public async Task BenchAsk_Tiny_EndsWithTheJsonSummary()
    {
        var (code, stdout, stderr) = await CliHarness.Run("bench", "ask", "--synthetic", "tiny", "--k", "20", "--grid", "8", "--new-tokens", "3");
        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]);
        var r = json.RootElement;
        Assert.Equal("ask", r.GetProperty("bench").GetString());
        Assert.Equal(20, r.GetProperty("k").GetInt32());
        Assert.Equal(64, r.GetProperty("n").GetInt32());
        foreach (var key in new[] { "scoring_ms", "vision_encoder_ms", "prefill_ms_k", "prefill_ms_all", "ttft_ms_k", "ttft_ms_all", "e2e_ms_k", "e2e_ms_all" })
            Assert.True(r.GetProperty(key).GetDouble() > 0, key);
        Assert.Contains("prompt tokens", stdout);
    }
}
