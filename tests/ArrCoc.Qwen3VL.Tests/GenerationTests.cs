using ArrCoc.Qwen3VL.Generation;
using static TorchSharp.torch;

namespace ArrCoc.Qwen3VL.Tests;

/// <summary>Decoding: logits processors by hand, seeded determinism, stopping, cancellation.</summary>
[Collection(FixtureCollection.Name)]
public sealed class GenerationTests(FixtureCheckpoints fixtures)
{
    [Fact]
    public void RepetitionPenalty_DividesPositivesMultipliesNegatives()
    {
        using var scores = tensor(new[] { 2f, -2f, 1f, 4f });
        using var seen = tensor(new long[] { 0, 1, 1 });
        using var result = LogitsProcessing.RepetitionPenalty(scores, seen, 2.0);
        Assert.Equal([1f, -4f, 1f, 4f], result.data<float>().ToArray());
    }

    [Fact]
    public void TopK_KeepsTiesWithTheKth()
    {
        using var scores = tensor(new[] { 1f, 3f, 2f, 3f, 0f });
        using var result = LogitsProcessing.TopK(scores, 2);
        Assert.Equal([float.NegativeInfinity, 3f, float.NegativeInfinity, 3f, float.NegativeInfinity], result.data<float>().ToArray());
    }

    [Fact]
    public void TopP_DropsTailBelowMassKeepsBest()
    {
        // probabilities 0.5, 0.25, 0.125, 0.125: p = 0.7 keeps the two largest.
        using var scores = tensor(new[] { MathF.Log(0.125f), MathF.Log(0.5f), MathF.Log(0.125f), MathF.Log(0.25f) });
        using var result = LogitsProcessing.TopP(scores, 0.7);
        var r = result.data<float>().ToArray();
        Assert.True(float.IsNegativeInfinity(r[0]) && float.IsNegativeInfinity(r[2]));
        Assert.False(float.IsNegativeInfinity(r[1]) || float.IsNegativeInfinity(r[3]));
        using var tiny = LogitsProcessing.TopP(scores, 0.01);
        Assert.Equal(1, tiny.data<float>().ToArray().Count(x => !float.IsNegativeInfinity(x)));
    }

    async Task<(List<long> Ids, string Text)> Generate(Qwen3VLPipeline pipeline, GenerationOptions options, CancellationToken token = default)
    {
        using var prompt = pipeline.Prepare(FixtureCheckpoints.Image(96, 64), "What is in this image?", fixedGrid: (2, 3));
        var trace = new GenerationTrace();
        var text = "";
        await foreach (var piece in pipeline.GenerateAsync(prompt, options, trace, token)) text += piece;
        Assert.Equal(trace.Text, text);
        return (trace.GeneratedIds, text);
    }

    [Fact]
    public async Task Generate_SameSeed_SameTokens_OtherSeed_Differs()
    {
        using var pipeline = Qwen3VLPipeline.Load(fixtures.Untied);
        var options = new GenerationOptions { DoSample = true, Temperature = 1.5, MaxNewTokens = 12, Seed = 42 };
        var a = await Generate(pipeline, options);
        var b = await Generate(pipeline, options);
        var c = await Generate(pipeline, options with { Seed = 43 });
        Assert.Equal(a.Ids, b.Ids);
        Assert.Equal(a.Text, b.Text);
        Assert.NotEqual(a.Ids, c.Ids);
        Assert.Equal(12, a.Ids.Count);
    }

    [Fact]
    public async Task Generate_Greedy_IsArgmaxOfFirstLogitsAndDeterministic()
    {
        using var pipeline = Qwen3VLPipeline.Load(fixtures.Untied);
        using var prompt = pipeline.Prepare(FixtureCheckpoints.Image(96, 64), "Hi", fixedGrid: (2, 3));
        var trace = new GenerationTrace();
        await foreach (var _ in pipeline.GenerateAsync(prompt, new GenerationOptions { MaxNewTokens = 5 }, trace)) { }
        var first = trace.FirstStepLogits!;
        Assert.Equal(pipeline.Model.Config.TextConfig.VocabSize, first.Length);
        Assert.Equal(Array.IndexOf(first, first.Max()), trace.GeneratedIds[0]);
        var again = await Generate(pipeline, new GenerationOptions { MaxNewTokens = 5 });
        var once = await Generate(pipeline, new GenerationOptions { MaxNewTokens = 5 });
        Assert.Equal(once.Ids, again.Ids);
    }

    [Fact]
    public async Task Generate_EosProduced_StopsThere()
    {
        using var pipeline = Qwen3VLPipeline.Load(fixtures.Untied);
        var greedy = await Generate(pipeline, new GenerationOptions { MaxNewTokens = 4 });
        // Declare the second greedy token a stop id: generation must end right after producing it, and its text
        // is not part of the answer.
        var stop = greedy.Ids[1];
        var expected = greedy.Ids.Take(greedy.Ids[0] == stop ? 1 : 2).ToList();
        var stopped = await Generate(pipeline, new GenerationOptions { MaxNewTokens = 4, EosTokenIds = [stop] });
        Assert.Equal(expected, stopped.Ids);
        var answer = expected.Take(expected.Count - 1).Select(i => (int)i);
        Assert.Equal(pipeline.Tokenizer.Decode(answer, skipSpecialTokens: true), stopped.Text);
    }

    [Fact]
    public async Task Generate_CancelledBetweenTokens_ThrowsOperationCanceled()
    {
        using var pipeline = Qwen3VLPipeline.Load(fixtures.Untied);
        using var prompt = pipeline.Prepare(FixtureCheckpoints.Image(96, 64), "Hi", fixedGrid: (2, 3));
        using var cts = new CancellationTokenSource();
        var trace = new GenerationTrace();
        var options = new GenerationOptions { DoSample = true, Temperature = 5, MaxNewTokens = 50, Seed = 1 };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in pipeline.GenerateAsync(prompt, options, trace, cts.Token)) cts.Cancel();
        });
        Assert.True(trace.GeneratedIds.Count < 50);
    }

    [Fact]
    public void Options_Invalid_Rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new GenerationOptions { MaxNewTokens = 0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new GenerationOptions { TopP = 0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new GenerationOptions { Temperature = -1 }.Validate());
    }
}
