using ArrCoc.Core.Texture;
using ArrCoc.Engine.Analysis;
using ArrCoc.Engine.Answering;
using ArrCoc.Engine.Images;
using ArrCoc.Engine.Integration;
using ArrCoc.Qwen3VL.Fixture;
using ArrCoc.Qwen3VL.Generation;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace ArrCoc.Engine.Tests;

/// <summary>ARR-COC × Qwen3-VL on the project's tiny fixture checkpoint (random weights, official layout).</summary>
public sealed class IntegrationTests : IClassFixture<FixtureModel>
{
    const int Rows = 4, Columns = 6;
    readonly ArrCocQwen _model;

    public IntegrationTests(FixtureModel fixture) => _model = fixture.Model;

    static ImageInput Picture(int seed, Action<Image<Rgb24>>? paint = null)
    {
        using var image = new Image<Rgb24>(Columns * 32, Rows * 32);
        var random = new Random(seed);
        image.ProcessPixelRows(a =>
        {
            for (int y = 0; y < a.Height; y++)
            {
                var row = a.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++) row[x] = new Rgb24((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
            }
        });
        paint?.Invoke(image);
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return new ImageInput(stream.ToArray(), "picture.png");
    }

    PreparedImage Prepare(int seed = 1, Action<Image<Rgb24>>? paint = null) => _model.Analyzer.Prepare(Picture(seed, paint), GridSpec.Fixed(Rows, Columns));

    [Fact]
    public void Grid_TextureCellAndMergedTokenCoverTheSamePixels()
    {
        const int row = 2, column = 3;
        using var image = Prepare(paint: img =>
        {
            for (int y = row * 32; y < row * 32 + 32; y++)
                for (int x = column * 32; x < column * 32 + 32; x++) img[x, y] = new Rgb24(255, 0, 255);
        });
        var analysis = _model.Analyzer.Analyze(image, new AnalysisRequest { Question = "What is magenta?", K = 3 });
        int cell = row * Columns + column;
        Assert.Equal(1f, analysis.Relevance.Texture[TextureChannels.Red][cell]);
        Assert.Equal(0f, analysis.Relevance.Texture[TextureChannels.Green][cell]);
        Assert.Equal(1f, analysis.Relevance.Texture[TextureChannels.Blue][cell]);

        using var prompt = _model.PreparePrompt(image, "What is magenta?");
        var pixels = prompt.Image!.PixelValues;                                  // [N patches, 3·2·16·16], merge-window order
        Assert.Equal(new long[] { 4L * Rows * Columns, 1536 }, pixels.shape);
        // Merged token `cell` = patches 4·cell .. 4·cell + 3; channel-major: R in 0..511, G 512..1023, B 1024..1535.
        using var token = pixels[(4 * cell)..(4 * cell + 4)];
        Assert.Equal(1f, token[.., ..512].min().item<float>());                  // (255 − 127.5) / 127.5
        Assert.Equal(-1f, token[.., 512..1024].max().item<float>());
        Assert.Equal(1f, token[.., 1024..].min().item<float>());
        using var neighbour = pixels[(4 * (cell - 1))..(4 * cell)];
        Assert.True(neighbour[.., 512..1024].max().item<float>() > -1f);           // random pixels, not the magenta cell
    }

    [Fact]
    public async Task KeepingAllCells_IsBitIdenticalToTheUnmodifiedModel()
    {
        using var image = Prepare(seed: 2);
        using var prompt = _model.PreparePrompt(image, "Describe the picture.");
        var all = Enumerable.Range(0, Rows * Columns).ToArray();
        using var pruned = _model.Select(prompt, all);
        Assert.True(TensorAssertions.Identical(prompt.InputsEmbeds, pruned.InputsEmbeds));
        Assert.True(TensorAssertions.Identical(prompt.PositionIds, pruned.PositionIds));

        var settings = new AnswerSettings { MaxNewTokens = 6 };
        var full = new GenerationTrace();
        var kept = new GenerationTrace();
        await foreach (var _ in _model.GenerateAsync(prompt.ToPrefill(), settings, full)) { }
        await foreach (var _ in _model.GenerateAsync(pruned.ToPrefill(), settings, kept)) { }
        Assert.Equal(full.FirstStepLogits, kept.FirstStepLogits);
        Assert.Equal(full.GeneratedIds, kept.GeneratedIds);
    }

    [Fact]
    public void KeepingSomeCells_OriginalPositionsShorterSequenceAndTheirDeepStackRows()
    {
        using var image = Prepare(seed: 3);
        using var prompt = _model.PreparePrompt(image, "Where is it?");
        int[] kept = [0, 7, 8, 23];
        using var pruned = _model.Select(prompt, kept);
        long s = prompt.InputIds.shape[1];
        Assert.Equal(s - Rows * Columns + kept.Length, pruned.InputIds.shape[1]);

        var ids = prompt.InputIds[0].data<long>().ToArray();
        int imageTokenId = _model.Qwen.Tokenizer.RequireTokenId("<|image_pad|>");
        int start = Array.IndexOf(ids, (long)imageTokenId);                       // text before the image: 0..start−1
        var positions = pruned.PositionIds.reshape(3, -1);
        for (int j = 0; j < kept.Length; j++)
        {
            int i = kept[j] / Columns, c = kept[j] % Columns;
            Assert.Equal(new long[] { start, start + i, start + c }, positions[.., start + j].data<long>().ToArray());
        }
        // The text after the image continues at start + max(rows, columns) on all three axes, as in the full prompt.
        long after = start + Math.Max(Rows, Columns);
        for (int t = start + kept.Length; t < pruned.InputIds.shape[1]; t++, after++)
            Assert.Equal(new[] { after, after, after }, positions[.., t].data<long>().ToArray());
        Assert.Equal(after - pruned.InputIds.shape[1], pruned.RopeDelta);

        // DeepStack rows are added at the kept image tokens' places in the shorter sequence: start..start+K−1.
        Assert.Equal(Enumerable.Range(start, kept.Length).Select(p => (long)p), pruned.VisualPositions.data<long>().ToArray());
        using var index = tensor(kept.Select(k => (long)k).ToArray());
        for (int l = 0; l < prompt.Vision!.Deepstack.Count; l++)
            Assert.True(TensorAssertions.Identical(prompt.Vision.Deepstack[l].index_select(0, index), pruned.Deepstack[l]));
    }

    [Theory]
    [InlineData(new int[0], "empty")]
    [InlineData(new[] { 3, 3 }, "listed twice")]
    [InlineData(new[] { 1, 24 }, "outside the grid's 24 cells")]
    [InlineData(new[] { -1 }, "outside the grid")]
    public void Select_BadKeptCells_ClearErrors(int[] kept, string expected)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => ArrCocQwen.ValidateKept(kept, Rows * Columns));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void QueryEmbedding_IsTheMeanOverTheQuestionTokensOnly()
    {
        const string question = "How many dots?";
        var ids = _model.QueryEmbedder.QuestionTokens(question);
        Assert.Equal(_model.Qwen.Tokenizer.Encode(question), ids);
        Assert.DoesNotContain(_model.Qwen.Tokenizer.RequireTokenId("<|im_start|>"), ids);
        var weight = _model.Qwen.Model.Model.LanguageModel.EmbedWeight;   // the module's own tensor: not disposed here
        using var rows = weight.index_select(0, tensor(ids.Select(i => (long)i).ToArray()));
        var expected = rows.mean([0]).data<float>().ToArray();
        Assert.Equal(expected, _model.QueryEmbedder.Embed(question));
        Assert.Equal("fixture", _model.QueryEmbedder.Source);
        Assert.Equal(_model.Qwen.Model.Config.TextConfig.HiddenSize, _model.QueryEmbedder.Dimension);
    }

    [Fact]
    public void Question_OverTheTokenLimit_RefusedWithBothNumbers()
    {
        var longQuestion = string.Join(' ', Enumerable.Repeat("colour", 300));
        var error = Assert.Throws<ArgumentException>(() => _model.QueryEmbedder.QuestionTokens(longQuestion));
        Assert.Matches(@"the question is \d+ tokens long; the limit is 256", error.Message);
        using var image = Prepare(seed: 5);
        Assert.Throws<ArgumentException>(() => _model.Analyzer.Analyze(image, new AnalysisRequest { Question = longQuestion }));
    }

    [Fact]
    public void StraightThrough_ForwardUnchangedAndTheLossReachesOnlyArrCoc()
    {
        using var image = Prepare(seed: 4);
        foreach (var p in _model.Analyzer.Pipeline.Model.parameters()) p.grad?.zero_();
        using var plain = AnswerLoss.Compute(_model, image, "What colour?", "red", k: 5, straightThrough: false);
        using var bridged = AnswerLoss.Compute(_model, image, "What colour?", "red", k: 5);
        Assert.True(TensorAssertions.Identical(plain.Logits.detach(), bridged.Logits.detach()));
        Assert.Equal(plain.Loss.item<float>(), bridged.Loss.item<float>());

        bridged.Loss.backward();
        var grads = _model.Analyzer.Pipeline.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad);
        Assert.True(grads["participatory_scorer.texture_proj.2.weight"]!.abs().sum().item<float>() > 0);
        Assert.True(grads["participatory_scorer.texture_proj.0.weight"]!.abs().sum().item<float>() > 0);
        Assert.True(grads["balancer.weight_predictor.0.weight"]!.abs().sum().item<float>() > 0);
        Assert.True(grads["balancer.weight_predictor.4.bias"]!.abs().sum().item<float>() > 0);
        Assert.All(_model.Qwen.Model.parameters(), p => Assert.Null(p.grad));
        foreach (var p in _model.Analyzer.Pipeline.Model.parameters()) p.grad?.zero_();
    }

    [Fact]
    public void StraightThrough_ZeroScoreKeepsTheRowAndAFiniteGradient()
    {
        using var rows = randn(3, 4);
        using var scores = tensor(new[] { 0f, 0.5f, 1f }).requires_grad_(true);
        using var bridged = StraightThrough.Apply(rows, scores);
        Assert.True(TensorAssertions.Identical(rows, bridged.detach()));
        using var sum = bridged.sum();
        sum.backward();
        Assert.True(scores.grad!.isfinite().all().item<bool>());
    }
}

/// <summary>The fixture checkpoint written once per test class, loaded with ARR-COC (untrained, seed 0).</summary>
public sealed class FixtureModel : IDisposable
{
    readonly TempDirectory _directory = new();

    public FixtureModel()
    {
        var folder = _directory.File("model");
        Qwen3VLFixture.Write(folder, new FixtureOptions());
        Model = ArrCocQwen.Load(folder, "fixture", new ArrCocOptions(), new ImageLimitsOptions());
    }

    public ArrCocQwen Model { get; }

    public void Dispose()
    {
        Model.Dispose();
        _directory.Dispose();
    }
}

internal static class TensorAssertions
{
    /// <summary>Same shape, dtype and bit-identical values.</summary>
    public static bool Identical(Tensor a, Tensor b) =>
        a.shape.SequenceEqual(b.shape) && a.dtype == b.dtype && (a == b).all().item<bool>();
}
