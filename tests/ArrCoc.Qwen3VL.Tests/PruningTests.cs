using ArrCoc.Qwen3VL.Generation;
using static TorchSharp.torch;

namespace ArrCoc.Qwen3VL.Tests;

/// <summary>Keeping a subset of image tokens at their original M-RoPE positions.</summary>
[Collection(FixtureCollection.Name)]
public sealed class PruningTests(FixtureCheckpoints fixtures)
{
    [Fact]
    public async Task KeepImageTokens_All_ReproducesTheFullPromptBitForBit()
    {
        using var pipeline = Qwen3VLPipeline.Load(fixtures.Float32);
        using var prompt = pipeline.Prepare(FixtureCheckpoints.Image(128, 96), "What is in this image?", fixedGrid: (3, 4));
        using var pruned = PrunedPrompt.KeepImageTokens(pipeline.Model.Model, prompt, Enumerable.Range(0, 12).Select(i => (long)i).ToArray());
        Assert.True(pruned.InputIds.Identical(prompt.InputIds));
        Assert.True(pruned.PositionIds.Identical(prompt.PositionIds));
        Assert.True(pruned.InputsEmbeds.Identical(prompt.InputsEmbeds));
        Assert.Equal(prompt.RopeDelta, pruned.RopeDelta);

        using (no_grad())
        {
            using var full = pipeline.Model.ForwardEmbeds(prompt.InputsEmbeds, prompt.PositionIds, visual: prompt.ToPrefill().Visual);
            using var kept = pipeline.Model.ForwardEmbeds(pruned.InputsEmbeds, pruned.PositionIds, visual: pruned.ToPrefill().Visual);
            Assert.True(kept.Identical(full));
        }
        var a = new GenerationTrace();
        var b = new GenerationTrace();
        await foreach (var _ in pipeline.Generator.GenerateAsync(prompt.ToPrefill(), new GenerationOptions { MaxNewTokens = 5 }, a)) { }
        await foreach (var _ in pipeline.Generator.GenerateAsync(pruned.ToPrefill(), new GenerationOptions { MaxNewTokens = 5 }, b)) { }
        Assert.Equal(a.GeneratedIds, b.GeneratedIds);
    }

    [Fact]
    public void KeepImageTokens_Subset_KeepsOriginalPositionsOfImageAndText()
    {
        using var pipeline = Qwen3VLPipeline.Load(fixtures.Float32);
        using var prompt = pipeline.Prepare(FixtureCheckpoints.Image(128, 96), "Where is the cat?", fixedGrid: (3, 4));
        long[] kept = [0, 5, 11];
        using var pruned = PrunedPrompt.KeepImageTokens(pipeline.Model.Model, prompt, kept);
        var s = prompt.InputIds.shape[1];
        Assert.Equal(s - 12 + 3, pruned.InputIds.shape[1]);

        var pads = prompt.VisualPositions!.data<long>().ToArray();
        var keptSequence = Enumerable.Range(0, (int)s).Where(i => !pads.Contains(i) || kept.Select(k => pads[k]).Contains(i)).ToArray();
        using var original = prompt.PositionIds[.., 0].index_select(1, tensor(keptSequence.Select(i => (long)i).ToArray()));
        Assert.True(pruned.PositionIds[.., 0].Identical(original));
        // Image token 5 of a 3×4 merged grid is row 1, column 1: (t, h, w) = (st, st + 1, st + 1).
        var st = prompt.PositionIds[0, 0, pads[0]].item<long>();
        var fifth = pruned.VisualPositions[1].item<long>();
        Assert.Equal([st, st + 1, st + 1], pruned.PositionIds[.., 0, fifth].data<long>().ToArray());
        using var max = pruned.PositionIds.max();
        Assert.Equal(max.item<long>() + 1 - pruned.InputIds.shape[1], pruned.RopeDelta);
    }

    [Fact]
    public void KeepImageTokens_ReplacementRows_CarryGradients()
    {
        using var pipeline = Qwen3VLPipeline.Load(fixtures.Float32);
        using var prompt = pipeline.Prepare(FixtureCheckpoints.Image(64, 64), "Hi", fixedGrid: (2, 2));
        long[] kept = [1, 2];
        using var rows = prompt.Vision!.ImageEmbeds.index_select(0, tensor(kept)).detach().requires_grad_(true);
        using var pruned = PrunedPrompt.KeepImageTokens(pipeline.Model.Model, prompt, kept, rows);
        using var logits = pipeline.Model.ForwardEmbeds(pruned.InputsEmbeds, pruned.PositionIds, visual: pruned.ToPrefill().Visual, lastPositionOnly: true);
        using var loss = logits.log_softmax(-1)[0, 0, 7].neg();
        loss.backward();
        Assert.True(rows.grad!.abs().sum().item<float>() > 0);
    }

    [Theory]
    [InlineData(new long[] { 3, 1 })]
    [InlineData(new long[] { 0, 0 })]
    [InlineData(new long[] { 4 })]
    [InlineData(new long[0])]
    public void KeepImageTokens_BadIndices_Rejected(long[] kept)
    {
        using var pipeline = Qwen3VLPipeline.Load(fixtures.Float32);
        using var prompt = pipeline.Prepare(FixtureCheckpoints.Image(64, 64), "Hi", fixedGrid: (2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => PrunedPrompt.KeepImageTokens(pipeline.Model.Model, prompt, kept));
    }
}
