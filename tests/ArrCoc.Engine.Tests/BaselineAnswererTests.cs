using ArrCoc.Engine.Answering;
using ArrCoc.Qwen3VL.Fixture;
using ArrCoc.Qwen3VL.Generation;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ArrCoc.Engine.Tests;

/// <summary>The baseline (all visual tokens) answerer on the fixture checkpoint.</summary>
public sealed class BaselineAnswererTests : IDisposable
{
    readonly TempDirectory _temp = new();

    string Dir => _temp.Path;

    public void Dispose() => _temp.Dispose();

    BaselineAnswerer Load()
    {
        var model = Path.Combine(Dir, "model");
        Qwen3VLFixture.Write(model, new FixtureOptions());
        return BaselineAnswerer.Load(model);
    }

    [Fact]
    public void Options_TemperatureZero_IsGreedy_AboveZero_SamplesWithCheckpointDefaults()
    {
        using var answerer = Load();
        var greedy = answerer.Options(new AnswerSettings { Temperature = 0 });
        Assert.True(greedy.Greedy);
        Assert.Equal(2, greedy.EosTokenIds.Count);
        var sampled = answerer.Options(new AnswerSettings { Temperature = 0.9, Seed = 5 });
        Assert.False(sampled.Greedy);
        Assert.Equal(0.9, sampled.Temperature);
        Assert.Equal(20, sampled.TopK);                    // from the fixture's generation_config.json
        Assert.Equal(0.8, sampled.TopP);
        Assert.Equal(5, sampled.Seed);
    }

    [Fact]
    public async Task AnswerAsync_ImageWithAlpha_StreamsAndDumpsConsistently()
    {
        using var answerer = Load();
        var path = Path.Combine(Dir, "rgba.png");
        using (var image = new Image<Rgba32>(256, 256, new Rgba32(200, 10, 10, 128))) image.SaveAsPng(path);
        using var prompt = answerer.Prepare(path, "What colour is it?");
        var trace = new GenerationTrace();
        var text = "";
        await foreach (var piece in answerer.AnswerAsync(prompt, new AnswerSettings { MaxNewTokens = 4 }, trace)) text += piece;
        var dump = BaselineAnswerer.Dump(prompt, trace);
        Assert.Equal(text, dump.Text);
        Assert.Equal(dump.InputIds.Length, dump.PositionIds[1].Length);
        Assert.Equal([1L, 16, 16], dump.ImageGridThw[0]);
        Assert.Equal(trace.GeneratedIds, dump.GeneratedIds);
    }

    [Fact]
    public void Prepare_EmptyQuestion_Rejected()
    {
        using var answerer = Load();
        Assert.Throws<ArgumentException>(() => answerer.Prepare(Path.Combine(Dir, "x.png"), " "));
    }
}
