using System.Text.Json;
using ArrCoc.Qwen3VL.Fixture;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ArrCoc.Cli.Tests;

/// <summary>`arrcoc ask` and `arrcoc analyze --model` with ARR-COC selection, on the fixture checkpoint.</summary>
public sealed class AskCommandTests : IClassFixture<FixtureFolder>
{
    readonly FixtureFolder _fixture;

    public AskCommandTests(FixtureFolder fixture) => _fixture = fixture;

    string Model => _fixture.Model;

    static JsonElement Load(string path) => JsonDocument.Parse(System.IO.File.ReadAllBytes(path)).RootElement;

    [Fact]
    public async Task Ask_KeptCells_DumpRecordsKeptAnalysisAndThePrunedPrompt()
    {
        var dump = _fixture.File("kept.json");
        var (code, stdout, stderr) = await CliHarness.Run("ask", "--model", Model, "--image", _fixture.Image, "--question", "What is here?",
            "--grid", "4x6", "--k", "5", "--max-new-tokens", "4", "--dump", dump);
        Assert.True(code == 0, stderr);
        Assert.Contains("5 of 24 image tokens kept", stderr);
        var root = Load(dump);
        var kept = root.GetProperty("kept").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.Equal(5, kept.Length);
        Assert.Equal(kept, root.GetProperty("analysis").GetProperty("kept").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(Model, root.GetProperty("analysis").GetProperty("query_embedding").GetString());
        Assert.Equal("[[1,8,12]]", root.GetProperty("image_grid_thw").GetRawText());
        var imageToken = Qwen3VLFixture.DefaultConfig(true).ImageTokenId;
        Assert.Equal(5, root.GetProperty("input_ids").EnumerateArray().Count(e => e.GetInt64() == imageToken));
        Assert.Equal(root.GetProperty("text").GetString() + "\n", stdout);
    }

    [Fact]
    public async Task Ask_KeepingEveryCell_EqualsAllTokensOnTheSameGrid()
    {
        var all = _fixture.File("all.json");
        var every = _fixture.File("every.json");
        var (code1, _, e1) = await CliHarness.Run("ask", "--model", Model, "--image", _fixture.Image, "--question", "Describe it.", "--grid", "4x6", "--all-tokens", "--max-new-tokens", "5", "--dump", all);
        var (code2, _, e2) = await CliHarness.Run("ask", "--model", Model, "--image", _fixture.Image, "--question", "Describe it.", "--grid", "4x6", "--k", "24", "--max-new-tokens", "5", "--dump", every);
        Assert.True(code1 == 0, e1);
        Assert.True(code2 == 0, e2);
        var a = Load(all);
        var b = Load(every);
        Assert.Equal("null", a.GetProperty("kept").GetRawText());
        foreach (var field in new[] { "input_ids", "position_ids", "first_step_logits", "generated_ids", "text" })
            Assert.Equal(a.GetProperty(field).GetRawText(), b.GetProperty(field).GetRawText());
    }

    [Fact]
    public async Task Ask_KeepIndices_RunsExactlyThatSelection()
    {
        var file = _fixture.File("cells.json");
        System.IO.File.WriteAllText(file, "[23, 0, 7]");
        var dump = _fixture.File("explicit.json");
        var (code, _, stderr) = await CliHarness.Run("ask", "--model", Model, "--image", _fixture.Image, "--question", "Q?", "--grid", "4x6",
            "--keep-indices", file, "--max-new-tokens", "2", "--dump", dump);
        Assert.True(code == 0, stderr);
        var root = Load(dump);
        Assert.Equal("[0,7,23]", root.GetProperty("kept").GetRawText());
        Assert.Equal("keep-indices", root.GetProperty("selection").GetString());
        // The model saw exactly those three image tokens, at the positions their cells have in the full prompt.
        var imageToken = Qwen3VLFixture.DefaultConfig(true).ImageTokenId;
        var ids = root.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        var image = Enumerable.Range(0, ids.Length).Where(i => ids[i] == imageToken).ToArray();
        Assert.Equal(3, image.Length);
        var rows = root.GetProperty("position_ids").EnumerateArray().Select(r => r.EnumerateArray().Select(e => e.GetInt64()).ToArray()).ToArray();
        long start = rows[0][image[0]];
        Assert.Equal(new long[] { start + 0, start + 1, start + 3 }, image.Select(i => rows[1][i]));   // rows of cells 0, 7, 23 (6 columns)
        Assert.Equal(new long[] { start + 0, start + 1, start + 5 }, image.Select(i => rows[2][i]));   // their columns
        // The analysis is ARR-COC's own choice at the same K, for the record; its prompt table is the one that ran.
        var analysis = root.GetProperty("analysis");
        Assert.Equal(3, analysis.GetProperty("k").GetInt32());
        var promptCells = analysis.GetProperty("prompt").GetProperty("positions").EnumerateArray()
            .Where(p => p.GetProperty("cell").ValueKind == JsonValueKind.Number).Select(p => p.GetProperty("cell").GetInt32());
        Assert.Equal([0, 7, 23], promptCells);
    }

    [Fact]
    public async Task Ask_KeepIndicesWithK_IsAContradiction()
    {
        var file = _fixture.File("cells-k.json");
        System.IO.File.WriteAllText(file, "[1, 2]");
        var (code, _, stderr) = await CliHarness.Run("ask", "--model", Model, "--image", _fixture.Image, "--question", "Q?", "--grid", "4x6", "--keep-indices", file, "--k", "5");
        Assert.Equal(1, code);
        Assert.Contains("--k and --keep-indices contradict each other", stderr);
    }

    [Theory]
    [InlineData("[1, 1]", "kept cell 1 is listed twice")]
    [InlineData("[0, 24]", "kept cell 24 is outside the grid's 24 cells")]
    [InlineData("[]", "the kept cells are empty")]
    [InlineData("{\"a\": 1}", "is not a JSON list of integers")]
    public async Task Ask_BadKeepIndices_OneClearLine(string content, string expected)
    {
        var file = _fixture.File(Guid.NewGuid().ToString("N") + ".json");
        System.IO.File.WriteAllText(file, content);
        var (code, _, stderr) = await CliHarness.Run("ask", "--model", Model, "--image", _fixture.Image, "--question", "Q?", "--grid", "4x6", "--keep-indices", file);
        Assert.Equal(1, code);
        Assert.Contains(expected, stderr);
        Assert.StartsWith("error: ", stderr);
    }

    [Fact]
    public async Task Ask_ImpossibleK_ClearError()
    {
        var (code, _, stderr) = await CliHarness.Run("ask", "--model", Model, "--image", _fixture.Image, "--question", "Q?", "--grid", "4x6", "--k", "25");
        Assert.Equal(1, code);
        Assert.Contains("K must be between 1 and the number of cells (24); got 25", stderr);
        Assert.DoesNotContain("Parameter", stderr); // no .NET tails after the user's message
        Assert.DoesNotContain("Actual value", stderr);
    }

    [Fact]
    public async Task Ask_AllTokensWithSelectionFlags_IsAContradiction()
    {
        var (code, _, stderr) = await CliHarness.Run("ask", "--model", Model, "--image", _fixture.Image, "--question", "Q?", "--all-tokens", "--k", "5", "--ablate", "information");
        Assert.Equal(1, code);
        Assert.Contains("--k, --ablate would have no effect", stderr);
    }

    [Fact]
    public async Task Model_NeitherFolderNorCachedHubId_SaysBoth()
    {
        using var cache = new TempDirectory();
        var offline = new ArrCoc.Hub.HubOptions(_ => null) { Offline = true, CacheDir = cache.Path };
        var error = await Assert.ThrowsAsync<IOException>(() => ArrCoc.Cli.Hub.ModelOption.ResolveAsync("nodir", TextWriter.Null, CancellationToken.None, offline));
        Assert.Contains("no folder named 'nodir' exists here either", error.Message);
    }

    [Fact]
    public async Task Ask_ExplicitCpuDevice_AnswersAsTheDefault()
    {
        string[] ask = ["ask", "--model", Model, "--image", _fixture.Image, "--question", "Q?", "--grid", "4x6", "--max-new-tokens", "3"];
        var (defaultCode, defaultAnswer, defaultErrors) = await CliHarness.Run(ask);
        var (code, answer, errors) = await CliHarness.Run([.. ask, "--device", "cpu", "--dtype", "float32"]);
        Assert.True(defaultCode == 0, defaultErrors);
        Assert.True(code == 0, errors);
        Assert.Equal(defaultAnswer, answer);
    }

    [Theory]
    [InlineData("ask", "--dtype", "float16", "--dtype must be float32 or bfloat16; got 'float16'")]
    [InlineData("ask", "--device", "tpu", "--device must be cpu or cuda; got 'tpu'")]
    [InlineData("analyze", "--device", "tpu", "--device must be cpu or cuda; got 'tpu'")]
    public async Task BadDeviceOrDtype_OneClearLine(string verb, string flag, string value, string expected)
    {
        var (code, _, stderr) = await CliHarness.Run(verb, "--model", Model, "--image", _fixture.Image, "--question", "Q?", "--grid", "4x6", flag, value);
        Assert.Equal(1, code);
        Assert.Equal("error: " + expected, stderr.Trim());
    }

    [Fact]
    public async Task Analyze_DeviceWithoutModel_SaysItNeedsOne()
    {
        var (code, _, stderr) = await CliHarness.Run("analyze", "--image", _fixture.Image, "--question", "Q?", "--grid", "4x6", "--device", "cpu", "--out", _fixture.File("no-model"));
        Assert.Equal(1, code);
        Assert.Contains("--device and --dtype say where Qwen3-VL runs; they need --model", stderr);
    }

    [Fact]
    public async Task Ask_CudaWithoutAGpu_SaysSo()
    {
        if (TorchSharp.torch.cuda.is_available()) return; // a GPU machine runs it instead of refusing
        var (code, _, stderr) = await CliHarness.Run("ask", "--model", Model, "--image", _fixture.Image, "--question", "Q?", "--device", "cuda");
        Assert.Equal(1, code);
        Assert.Contains("--device is cuda but no CUDA device is available", stderr);
    }

    [Fact]
    public async Task Analyze_WithModel_UsesItsQueryEmbeddingAndAddsThePromptTable()
    {
        var outDir = _fixture.File("analysis-model");
        var (code, stdout, stderr) = await CliHarness.Run("analyze", "--model", Model, "--image", _fixture.Image, "--question", "Where?", "--grid", "4x6", "--k", "3", "--out", outDir);
        Assert.True(code == 0, stderr);
        Assert.Contains("prompt     ", stdout);
        var root = Load(Path.Combine(outDir, "analysis.json"));
        Assert.Equal(Model, root.GetProperty("query_embedding").GetString());
        Assert.Equal(Qwen3VLFixture.DefaultConfig(true).TextConfig.HiddenSize, root.GetProperty("query_vector").GetArrayLength());
        var prompt = root.GetProperty("prompt");
        Assert.Equal(3, prompt.GetProperty("image_tokens").GetInt32());
        var positions = prompt.GetProperty("positions").EnumerateArray().ToArray();
        var image = positions.Where(p => p.GetProperty("cell").ValueKind != JsonValueKind.Null).ToArray();
        var kept = root.GetProperty("kept").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.Equal(kept, image.Select(p => p.GetProperty("cell").GetInt32()));
        long start = image[0].GetProperty("t").GetInt64();
        foreach (var p in image)
        {
            int cell = p.GetProperty("cell").GetInt32();
            Assert.Equal(start + cell / 6, p.GetProperty("h").GetInt64());
            Assert.Equal(start + cell % 6, p.GetProperty("w").GetInt64());
        }
    }
}

/// <summary>The fixture checkpoint and a test image, written once for the class.</summary>
public sealed class FixtureFolder : IDisposable
{
    public FixtureFolder()
    {
        Model = File("model");
        Qwen3VLFixture.Write(Model, new FixtureOptions { Tied = true });
        Image = File("picture.png");
        using var image = new Image<Rgb24>(192, 128);
        for (var y = 0; y < image.Height; y++)
            for (var x = 0; x < image.Width; x++)
                image[x, y] = new Rgb24((byte)(x * 7 % 256), (byte)(y * 3 % 256), (byte)((x ^ y) % 256));
        image.SaveAsPng(Image);
    }

    readonly TempDirectory _temp = new();

    /// <summary>A path in the fixture's temporary folder.</summary>
    public string File(string name) => _temp.File(name);

    public string Model { get; }

    public string Image { get; }

    public void Dispose() => _temp.Dispose();
}
