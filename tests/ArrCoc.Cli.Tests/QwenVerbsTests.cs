using System.CommandLine;
using System.Text.Json;
using ArrCoc.Cli.Commands;
using ArrCoc.Qwen3VL.Fixture;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ArrCoc.Cli.Tests;

/// <summary>`arrcoc fixture`, `tokenize`, `ask`, `bench model` end to end on the fixture checkpoint.</summary>
public sealed class QwenVerbsTests : IDisposable
{
    readonly TempDirectory _temp = new();

    string Dir => _temp.Path;

    public void Dispose() => _temp.Dispose();

    static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var root = new RootCommand { CliOptions.Verbose };
        root.Subcommands.Add(FixtureCommand.Create());
        root.Subcommands.Add(TokenizeCommand.Create());
        root.Subcommands.Add(AskCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliRunner.RunAsync(root, args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    string Image(int width, int height)
    {
        var path = Path.Combine(Dir, $"image-{width}x{height}.png");
        using var image = new Image<Rgb24>(width, height);
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                image[x, y] = new Rgb24((byte)(x % 256), (byte)(y % 256), (byte)((x + y) % 256));
        image.SaveAsPng(path);
        return path;
    }

    [Fact]
    public async Task FixtureThenAsk_WithDump_WritesEveryField()
    {
        var model = Path.Combine(Dir, "model");
        var (code, output, _) = await Run("fixture", "--out", model, "--tied");
        Assert.Equal(0, code);
        Assert.Contains("model.safetensors", output);

        var dump = Path.Combine(Dir, "dump.json");
        (code, output, var errors) = await Run("ask", "--model", model, "--image", Image(300, 260), "--question", "What is in this image?", "--max-new-tokens", "6", "--all-tokens", "--dump", dump);
        Assert.True(code == 0, errors);
        Assert.Contains("greedy", errors);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(dump));
        var root = doc.RootElement;
        var length = root.GetProperty("input_ids").GetArrayLength();
        Assert.Equal(3, root.GetProperty("position_ids").GetArrayLength());
        Assert.All(root.GetProperty("position_ids").EnumerateArray(), axis => Assert.Equal(length, axis.GetArrayLength()));
        // 300×260 → smart_resize 256×288 (min 65536 pixels) → grid 16×18 patches.
        Assert.Equal("[[1,16,18]]", root.GetProperty("image_grid_thw").GetRawText());
        Assert.Equal("[288,1536]", root.GetProperty("pixel_values_shape").GetRawText());
        Assert.Equal(Qwen3VLFixture.DefaultConfig(tied: true).TextConfig.VocabSize, root.GetProperty("first_step_logits").GetArrayLength());
        Assert.InRange(root.GetProperty("generated_ids").GetArrayLength(), 1, 6);
        Assert.Equal(root.GetProperty("text").GetString() + "\n", output);
    }

    [Fact]
    public async Task Tokenize_TextAndJsonl_PrintIdsAndRoundTrips()
    {
        var model = Path.Combine(Dir, "model");
        await Run("fixture", "--out", model);
        var (code, output, _) = await Run("tokenize", "--model", model, "--text", "<|im_start|>hi");
        Assert.Equal(0, code);
        var ids = JsonSerializer.Deserialize<int[]>(output)!;
        Assert.True(ids.Length >= 2);

        var jsonl = Path.Combine(Dir, "texts.jsonl");
        File.WriteAllLines(jsonl, ["{\"text\": \"The cat <think>\"}", "", "{\"text\": \"naïve café 😀\"}"]);
        (code, output, _) = await Run("tokenize", "--model", model, "--jsonl", jsonl);
        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        foreach (var line in lines)
        {
            using var doc = JsonDocument.Parse(line);
            Assert.Equal(doc.RootElement.GetProperty("text").GetString(), doc.RootElement.GetProperty("decoded").GetString());
        }
    }

    [Fact]
    public async Task Tokenize_BadJsonlLine_ErrorNamesTheLine()
    {
        var model = Path.Combine(Dir, "model");
        await Run("fixture", "--out", model);
        var jsonl = Path.Combine(Dir, "bad.jsonl");
        File.WriteAllLines(jsonl, ["{\"text\": \"ok\"}", "{\"txt\": 1}"]);
        var (code, _, errors) = await Run("tokenize", "--model", model, "--jsonl", jsonl);
        Assert.Equal(CliRunner.UserError, code);
        Assert.Contains("bad.jsonl line 2", errors);
        (code, _, errors) = await Run("tokenize", "--model", model);
        Assert.Equal(CliRunner.UserError, code);
        Assert.Contains("exactly one of --text and --jsonl", errors);
    }

    [Fact]
    public async Task Ask_MissingImageOrModel_IsUserError()
    {
        var model = Path.Combine(Dir, "model");
        await Run("fixture", "--out", model);
        var (code, _, errors) = await Run("ask", "--model", model, "--image", Path.Combine(Dir, "nope.png"), "--question", "Hi?");
        Assert.Equal(CliRunner.UserError, code);
        Assert.Contains("nope.png", errors);
        (code, _, errors) = await Run("ask", "--model", Path.Combine(Dir, "no-model"), "--image", Image(64, 64), "--question", "Hi?");
        Assert.Equal(CliRunner.UserError, code);
        Assert.Contains("no-model", errors);
    }

    [Fact]
    public async Task BenchModel_Tiny_EndsWithJsonLine()
    {
        var (code, output, errors) = await Run("bench", "model", "--synthetic", "tiny", "--decode-tokens", "2");
        Assert.True(code == 0, errors);
        var last = output.TrimEnd().Split('\n')[^1];
        using var doc = JsonDocument.Parse(last);
        var r = doc.RootElement;
        Assert.Equal("model", r.GetProperty("bench").GetString());
        foreach (var key in new[] { "matmul_gflops", "vision_encoder_s", "encoder_gflops", "prefill_tokens", "prefill_s", "prefill_gflops", "decode_tokens_per_s", "peak_rss_mb" })
            Assert.True(r.GetProperty(key).GetDouble() > 0, key);
    }
}
