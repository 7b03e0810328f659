using System.Text.Json;
using ArrCoc.Engine.Samples;
using SixLabors.ImageSharp;

namespace ArrCoc.Cli.Tests;

public class AnalyzeCommandTests
{
    static string WriteSample(TempDirectory dir, string id = "shapes")
    {
        var path = dir.File(id + ".png");
        using var image = SampleScenes.All.Single(s => s.Id == id).Render();
        image.SaveAsPng(path);
        return path;
    }

    [Fact]
    public async Task Analyze_GeneratedImage_WritesJsonAndEveryView()
    {
        using var dir = new TempDirectory();
        var image = WriteSample(dir);
        var outDir = dir.File("out");
        var (code, stdout, stderr) = await CliHarness.Run("analyze", "--image", image, "--question", "What colour is the circle?", "--k", "100", "--out", outDir);
        Assert.True(code == 0, stderr);
        Assert.Contains("kept       100 of 1024 cells", stdout);
        Assert.Contains("fallback embedding", stdout);
        foreach (var view in new[] { "texture.channels", "knowing.information", "knowing.perspectival", "knowing.participatory", "relevance.balanced", "attending.kept" })
            Assert.True(File.Exists(Path.Combine(outDir, view + ".png")), view);
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "analysis.json")));
        Assert.Equal(100, json.RootElement.GetProperty("kept").GetArrayLength());
        Assert.Equal("What colour is the circle?", json.RootElement.GetProperty("question").GetString());
        using var overlay = Image.Load(Path.Combine(outDir, "attending.kept.png"));
        Assert.Equal((1024, 1024), (overlay.Width, overlay.Height));
    }

    [Fact]
    public async Task Analyze_GridAblationAndWeights_AreHonoured()
    {
        using var dir = new TempDirectory();
        var image = WriteSample(dir, "sign");
        var outDir = dir.File("out");
        var (code, _, stderr) = await CliHarness.Run("analyze", "--image", image, "--question", "What does the sign say?", "--grid", "8x12",
            "--ablate", "participatory", "--weights", "1,3,5", "--out", outDir);
        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "analysis.json")));
        var root = json.RootElement;
        Assert.Equal([8, 12], root.GetProperty("grid").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(96, root.GetProperty("k").GetInt32()); // default 200 capped at N = 96
        var weights = root.GetProperty("weights");
        Assert.Equal(0.25, weights.GetProperty("information").GetDouble(), 1e-6);
        Assert.Equal(0.75, weights.GetProperty("perspectival").GetDouble(), 1e-6);
        Assert.Equal(0.0, weights.GetProperty("participatory").GetDouble());
    }

    [Theory]
    [InlineData("--k", "0", "K must be between 1 and the number of cells (1024); got 0")]
    [InlineData("--k", "2000", "got 2000")]
    [InlineData("--grid", "huge", "grid 'huge' is not understood")]
    [InlineData("--ablate", "information,perspectival,participatory", "keep at least one")]
    [InlineData("--ablate", "vision", "unknown way of knowing 'vision'")]
    [InlineData("--weights", "a,b,c", "'a' is not a number")]
    [InlineData("--question", "", "the question is empty")]
    public async Task Analyze_BadArguments_OneClearLineAndExitOne(string option, string value, string expected)
    {
        using var dir = new TempDirectory();
        var image = WriteSample(dir);
        var args = new List<string> { "analyze", "--image", image, "--out", dir.File("out") };
        if (option != "--question") args.AddRange(["--question", "q"]);
        args.AddRange([option, value]);
        var (code, _, stderr) = await CliHarness.Run(args.ToArray());
        Assert.Equal(1, code);
        Assert.StartsWith("error: ", stderr);
        Assert.Contains(expected, stderr);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task Analyze_NotAnImage_ClearErrorAndStackTraceOnlyWhenVerbose()
    {
        using var dir = new TempDirectory();
        var notImage = dir.File("notes.png");
        File.WriteAllText(notImage, "these are not pixels");
        var (code, _, stderr) = await CliHarness.Run("analyze", "--image", notImage, "--question", "q", "--out", dir.File("out"));
        Assert.Equal(1, code);
        Assert.Equal("error: notes.png: not a supported image (unrecognised content); use PNG, JPEG, WebP, GIF or BMP", stderr.Trim());

        var (verboseCode, _, verboseError) = await CliHarness.Run("analyze", "--image", notImage, "--question", "q", "--out", dir.File("out"), "--verbose");
        Assert.Equal(1, verboseCode);
        Assert.Contains("   at ", verboseError);
    }

    [Fact]
    public async Task Analyze_MissingImage_ClearError()
    {
        var (code, _, stderr) = await CliHarness.Run("analyze", "--image", "/nonexistent/x.png", "--question", "q");
        Assert.Equal(1, code);
        Assert.Equal("error: image not found: /nonexistent/x.png", stderr.Trim());
    }

    [Fact]
    public async Task Analyze_MissingRequiredOption_UsageErrorNonZero()
    {
        var (code, _, stderr) = await CliHarness.Run("analyze", "--question", "q");
        Assert.NotEqual(0, code);
        Assert.Contains("--image", stderr);
    }
}
