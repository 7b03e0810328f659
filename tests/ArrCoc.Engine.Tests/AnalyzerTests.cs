using System.Text.Json;
using ArrCoc.Core.Balancing;
using ArrCoc.Engine.Analysis;
using ArrCoc.Engine.Images;
using ArrCoc.Engine.Query;
using ArrCoc.Engine.Rendering;
using SixLabors.ImageSharp.PixelFormats;

namespace ArrCoc.Engine.Tests;

public class AnalyzerTests
{
    static RelevanceAnalyzer Analyzer(ArrCocOptions? options = null) =>
        new(options ?? new ArrCocOptions(), new ImageLimitsOptions(), new FallbackQueryEmbedder(64));

    static ImageInput Sample(string id)
    {
        var scene = Samples.SampleScenes.All.Single(s => s.Id == id);
        using var image = scene.Render();
        return new ImageInput(TestFiles.Encode(image, new SixLabors.ImageSharp.Formats.Png.PngEncoder()), id + ".png");
    }

    [Fact]
    public void Analyze_Sample_DefaultGridAndK()
    {
        var analyzer = Analyzer();
        using var image = analyzer.Prepare(Sample("shapes"));
        var result = analyzer.Analyze(image, new AnalysisRequest { Question = "What colour is the circle?" });
        Assert.Equal((32, 32), (result.Rows, result.Columns));
        Assert.Equal(200, result.K);
        Assert.Equal(200, result.Relevance.Kept.Length);
        Assert.Equal("fallback", result.QueryEmbeddingSource);
        Assert.True(result.UsesFallbackQuery);
        Assert.Equal("untrained (seed 0)", result.Checkpoint);
        Assert.True(result.Untrained);
        Assert.Equal(["decode", "texture", "knowing", "balancing", "attending", "total"], result.TimingsMs.Keys);
    }

    [Fact]
    public void Analyze_EdgesOfTheShapesAreKeptOverFlatBackground()
    {
        // With only the perspectival way on, the kept cells are the ones with edges: the shapes' outlines.
        var analyzer = Analyzer();
        using var image = analyzer.Prepare(Sample("shapes"));
        var ablation = new BalancerOverride { FixedWeights = [0, 1, 0] };
        var result = analyzer.Analyze(image, new AnalysisRequest { Question = "where are the edges?", K = 50, Ablation = ablation });
        var cornerCell = 0; // the top-left corner is flat background
        Assert.DoesNotContain(cornerCell, result.Relevance.Kept);
        Assert.All(result.Relevance.Kept, i => Assert.True(result.Relevance.Perspectival[i] >= result.Relevance.Perspectival[cornerCell]));
    }

    [Fact]
    public void Analyze_AutoGridOnAWideImage()
    {
        var analyzer = Analyzer();
        var wide = new ImageInput(TestFiles.SolidPng(900, 300, new Rgb24(10, 200, 30)), "wide.png");
        using var image = analyzer.Prepare(wide, GridSpec.Auto(192));
        Assert.Equal((8, 24), (image.Rows, image.Columns));
        var result = analyzer.Analyze(image, new AnalysisRequest { Question = "green?" });
        Assert.Equal(192, result.K); // default 200 capped at N
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    public void ValidateQuestion_Empty_ClearError(string question, string expected) =>
        Assert.Contains(expected, Assert.Throws<ArgumentException>(() => Analyzer().ValidateQuestion(question)).Message);

    [Fact]
    public void ValidateQuestion_OverTheLimit_ClearError()
    {
        var error = Assert.Throws<ArgumentException>(() => Analyzer(new ArrCocOptions { MaxQuestionChars = 10 }).ValidateQuestion(new string('a', 11)));
        Assert.Equal("the question is 11 characters long; the limit is 10", error.Message);
    }

    [Fact]
    public void Analyze_ImpossibleK_ClearError()
    {
        var analyzer = Analyzer();
        using var image = analyzer.Prepare(new ImageInput(TestFiles.SolidPng(64, 64, new Rgb24(1, 1, 1)), "tiny.png"), GridSpec.Fixed(2, 2));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => analyzer.Analyze(image, new AnalysisRequest { Question = "q", K = 5 }));
        Assert.Contains("(4)", error.Message);
    }

    [Fact]
    public void Checkpoint_OfAnotherDimension_ClearError()
    {
        using var dir = new TempDirectory();
        var path = dir.File("w.safetensors");
        Core.Checkpoints.ArrCocCheckpoint.Save(new Core.ArrCocModel(32, 1), path);
        var error = Assert.Throws<InvalidDataException>(() => Analyzer(new ArrCocOptions { Checkpoint = path }));
        Assert.Contains("checkpoint D = 32, model D = 64", error.Message);
    }

    [Fact]
    public void Checkpoint_Trained_UsedAndNamed()
    {
        using var dir = new TempDirectory();
        var path = dir.File("w.safetensors");
        Core.Checkpoints.ArrCocCheckpoint.Save(new Core.ArrCocModel(64, 99), path);
        var analyzer = Analyzer(new ArrCocOptions { Checkpoint = path });
        Assert.False(analyzer.Untrained);
        Assert.Equal(path, analyzer.Checkpoint);
    }

    [Fact]
    public void Json_SchemaHoldsEveryFieldWithGridShapes()
    {
        var analyzer = Analyzer();
        using var image = analyzer.Prepare(Sample("corner"), GridSpec.Fixed(4, 6));
        var result = analyzer.Analyze(image, new AnalysisRequest { Question = "Where is the red ball?", K = 5, Ablation = new BalancerOverride { Disabled = new HashSet<WayOfKnowing> { WayOfKnowing.Information } } });
        using var json = JsonDocument.Parse(AnalysisJson.Serialize(result));
        var root = json.RootElement;
        Assert.Equal([4, 6], root.GetProperty("grid").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(13, root.GetProperty("channels").GetArrayLength());
        Assert.Equal(13, root.GetProperty("texture").GetArrayLength());
        Assert.All(root.GetProperty("texture").EnumerateArray(), c => Assert.Equal(4, c.GetArrayLength()));
        foreach (var map in new[] { "information", "perspectival", "participatory", "balanced" })
        {
            var m = root.GetProperty("maps").GetProperty(map);
            Assert.Equal(4, m.GetArrayLength());
            Assert.All(m.EnumerateArray(), row => Assert.Equal(6, row.GetArrayLength()));
        }
        Assert.Equal(0, root.GetProperty("weights").GetProperty("information").GetDouble());
        Assert.Equal(5, root.GetProperty("kept").GetArrayLength());
        Assert.Equal(5, root.GetProperty("budgets").GetArrayLength());
        Assert.Equal(result.Relevance.KeptCells.Select(c => new[] { c.Row, c.Column }),
            root.GetProperty("kept_cells").EnumerateArray().Select(p => p.EnumerateArray().Select(e => e.GetInt32()).ToArray()));
        Assert.Equal("fallback", root.GetProperty("query_embedding").GetString());
        Assert.Equal(64, root.GetProperty("query_vector").GetArrayLength());
        Assert.Equal("untrained (seed 0)", root.GetProperty("checkpoint").GetString());
        Assert.Equal(["information"], root.GetProperty("ablation").GetProperty("disabled").EnumerateArray().Select(e => e.GetString()));
        Assert.True(root.GetProperty("timings_ms").GetProperty("total").GetDouble() > 0);
    }

    [Fact]
    public void Render_ViewsHaveTheExpectedSizes()
    {
        var analyzer = Analyzer();
        using var image = analyzer.Prepare(Sample("sign"), GridSpec.Fixed(8, 8));
        var r = analyzer.Analyze(image, new AnalysisRequest { Question = "What does the sign say?", K = 10 }).Relevance;
        using var map = ViewRenderer.Map(r.Balanced, r.Rows, r.Columns, cellPixels: 10);
        Assert.Equal((80 + 4 + 12, 80), (map.Width, map.Height));
        using var overlay = ViewRenderer.KeptOverlay(image.Resized, r);
        Assert.Equal((256, 256), (overlay.Width, overlay.Height));
        // A rejected cell is dimmed to 30 %, a kept cell's interior is untouched.
        int rejected = Enumerable.Range(0, 64).First(i => !r.Kept.Contains(i)), kept = r.Kept[0];
        var (ry, rx) = (rejected / 8 * 32 + 16, rejected % 8 * 32 + 16);
        var (ky, kx) = (kept / 8 * 32 + 16, kept % 8 * 32 + 16);
        Assert.Equal((byte)(image.Resized[rx, ry].R * 0.3), overlay[rx, ry].R);
        Assert.Equal(image.Resized[kx, ky], overlay[kx, ky]);
    }
}
