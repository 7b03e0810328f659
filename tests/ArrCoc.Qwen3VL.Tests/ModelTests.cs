using ArrCoc.Qwen3VL.Generation;
using ArrCoc.Qwen3VL.Processing;
using ArrCoc.Qwen3VL.Text;
using static TorchSharp.torch;

namespace ArrCoc.Qwen3VL.Tests;

/// <summary>Forward passes of the fixture model: stage shapes, KV cache, DeepStack, autograd, boundary checks.</summary>
[Collection(FixtureCollection.Name)]
public sealed class ModelTests(FixtureCheckpoints fixtures)
{
    [Fact]
    public void Prepare_1024Image_ProducesOfficialStageShapes()
    {
        using var pipeline = Qwen3VLPipeline.Load(fixtures.Tied);
        using var prompt = pipeline.Prepare(FixtureCheckpoints.Image(1024, 1024), "What is in this image?");
        var config = pipeline.Model.Config;
        var before = pipeline.Tokenizer.Encode("<|im_start|>user\n<|vision_start|>").Count;
        var after = pipeline.Tokenizer.Encode("<|vision_end|>What is in this image?<|im_end|>\n<|im_start|>assistant\n").Count;
        var s = before + 1024 + after;

        Assert.Equal([4096L, 1536], prompt.Image!.PixelValues.shape);
        Assert.Equal([1L, 64, 64], prompt.Image.ImageGridThw.data<long>().ToArray());
        Assert.Equal([1024L, config.TextConfig.HiddenSize], prompt.Vision!.ImageEmbeds.shape);
        Assert.Equal(2, prompt.Vision.Deepstack.Count);
        Assert.All(prompt.Vision.Deepstack, d => Assert.Equal([1024L, config.TextConfig.HiddenSize], d.shape));
        Assert.Equal([1L, s], prompt.InputIds.shape);
        Assert.Equal([3L, 1, s], prompt.PositionIds.shape);
        Assert.Equal([1L, s, config.TextConfig.HiddenSize], prompt.InputsEmbeds.shape);
        Assert.Equal(32 - 1024, prompt.RopeDelta);
        Assert.Equal(1024, prompt.VisualPositions!.shape[0]);

        using var noGrad = no_grad();
        using var logits = pipeline.Model.ForwardEmbeds(prompt.InputsEmbeds, prompt.PositionIds, visual: prompt.ToPrefill().Visual);
        Assert.Equal([1L, s, config.TextConfig.VocabSize], logits.shape);
        Assert.False(logits.isnan().any().item<bool>());
    }

    [Fact]
    public void ForwardWithKvCache_StepByStep_EqualsOneFullForward()
    {
        using var pipeline = Qwen3VLPipeline.Load(fixtures.Float32);
        var model = pipeline.Model;
        using var image = pipeline.ImageProcessor.PreprocessFixedGrid(FixtureCheckpoints.Image(256, 192), 4, 3);
        var ids = ChatTemplate.Tokenize(pipeline.Tokenizer, "Describe the picture.", image.MergedTokens)
            .Concat(pipeline.Tokenizer.Encode("The picture shows a cat")).Select(i => (long)i).ToArray();
        var prompt = ids.Length - pipeline.Tokenizer.Encode("The picture shows a cat").Count;
        using var noGrad = no_grad();
        using var inputIds = tensor(ids, [1, ids.Length]);

        using var whole = model.forward(inputIds, image.PixelValues, image.ImageGridThw);            // [1, L, V]

        using var cache = new KvCache(model.Config.TextConfig.NumHiddenLayers);
        using var promptIds = inputIds.narrow(1, 0, prompt);
        using var prefill = model.forward(promptIds, image.PixelValues, image.ImageGridThw, cache: cache, lastPositionOnly: true);
        var delta = prefill.RopeDeltas.item<long>();
        var steps = new List<Tensor> { prefill.Logits.reshape(-1) };
        for (var c = prompt; c < ids.Length - 1; c++)
        {
            using var token = inputIds.narrow(1, c, 1);
            using var embeds = model.Model.LanguageModel.EmbedTokens(token);
            using var positions = full([3, 1, 1], c + delta, ScalarType.Int64);
            using var logits = model.ForwardEmbeds(embeds, positions, cache, lastPositionOnly: true);
            steps.Add(logits.reshape(-1));
        }
        using var stepwise = stack(steps);                                                          // [L − prompt, V]
        using var reference = whole.Logits[0].narrow(0, prompt - 1, ids.Length - prompt);
        Assert.True(stepwise.allclose(reference, rtol: 1e-4, atol: 1e-5), $"max |diff| = {(stepwise - reference).abs().max().item<float>()}");
        foreach (var t in steps) t.Dispose();
    }

    [Fact]
    public void ForwardEmbeds_WithDeepstack_DiffersFromWithout()
    {
        using var pipeline = Qwen3VLPipeline.Load(fixtures.Float32);
        using var prompt = pipeline.Prepare(FixtureCheckpoints.Image(128, 128), "Hi", fixedGrid: (2, 2));
        using var noGrad = no_grad();
        using var with = pipeline.Model.ForwardEmbeds(prompt.InputsEmbeds, prompt.PositionIds, visual: prompt.ToPrefill().Visual, lastPositionOnly: true);
        using var without = pipeline.Model.ForwardEmbeds(prompt.InputsEmbeds, prompt.PositionIds, lastPositionOnly: true);
        Assert.False(with.allclose(without));
    }

    [Fact]
    public void ForwardEmbeds_FrozenWeights_GradientsReachInputsEmbedsOnly()
    {
        using var pipeline = Qwen3VLPipeline.Load(fixtures.Float32);
        using var prompt = pipeline.Prepare(FixtureCheckpoints.Image(64, 64), "Hi", fixedGrid: (2, 2));
        using var embeds = prompt.InputsEmbeds.detach().requires_grad_(true);
        using var logits = pipeline.Model.ForwardEmbeds(embeds, prompt.PositionIds, visual: prompt.ToPrefill().Visual);
        using var loss = logits[0, -1].log_softmax(0)[3].neg();
        loss.backward();
        Assert.NotNull(embeds.grad);
        Assert.True(embeds.grad!.abs().sum().item<float>() > 0);
        Assert.All(pipeline.Model.parameters(), p => Assert.Null(p.grad));
    }

    [Fact]
    public void EmbedWithImages_FeatureCountMismatch_NamesBothNumbers()
    {
        using var pipeline = Qwen3VLPipeline.Load(fixtures.Tied);
        var ids = ChatTemplate.Tokenize(pipeline.Tokenizer, "Hi", 4).Select(i => (long)i).ToArray();
        using var inputIds = tensor(ids, [1, ids.Length]);
        using var features = zeros(3, pipeline.Model.Config.TextConfig.HiddenSize);
        var e = Assert.Throws<ArgumentException>(() => pipeline.Model.Model.EmbedWithImages(inputIds, features));
        Assert.Contains("3 image features, 4 <|image_pad|> tokens", e.Message);
    }

    [Fact]
    public void Vision_1024Image_InterpolatesEightByEightPositions()
    {
        // 64×64 patches from an 8×8 learned grid: the interpolated table must vary across the image.
        using var pipeline = Qwen3VLPipeline.Load(fixtures.Float32);
        using var image = pipeline.ImageProcessor.Preprocess(FixtureCheckpoints.Image(1024, 1024));
        Assert.Equal(1024, image.ResizedHeight);
        using var noGrad = no_grad();
        using var vision = pipeline.Model.Model.GetImageFeatures(image.PixelValues, image.ImageGridThw);
        Assert.Equal([1024L, 32], vision.ImageEmbeds.shape);
        Assert.False(vision.ImageEmbeds.isnan().any().item<bool>());
    }

    [Fact]
    public void Forward_LeftPaddedBatch_MatchesEachSequenceAlone()
    {
        using var pipeline = Qwen3VLPipeline.Load(fixtures.Float32);
        var model = pipeline.Model;
        var pad = (long)pipeline.Tokenizer.PadTokenId!.Value;
        var shortIds = ChatTemplate.Tokenize(pipeline.Tokenizer, "Hi", 4).Select(i => (long)i).ToArray();
        var longIds = ChatTemplate.Tokenize(pipeline.Tokenizer, "Describe the picture in detail.", 4).Select(i => (long)i).ToArray();
        var width = longIds.Length;
        var padding = width - shortIds.Length;
        using var batch = tensor(Enumerable.Repeat(pad, padding).Concat(shortIds).Concat(longIds).ToArray(), [2, width]);
        using var mask = tensor(Enumerable.Repeat(0L, padding).Concat(Enumerable.Repeat(1L, width + shortIds.Length)).ToArray(), [2, width]);
        using var image = pipeline.ImageProcessor.PreprocessFixedGrid(FixtureCheckpoints.Image(64, 64), 2, 2);
        using var pixels = cat([image.PixelValues, image.PixelValues], 0);
        using var grids = cat([image.ImageGridThw, image.ImageGridThw], 0);
        using var noGrad = no_grad();
        using var batched = model.forward(batch, pixels, grids, attentionMask: mask, lastPositionOnly: true);
        foreach (var (ids, row) in new[] { (shortIds, 0), (longIds, 1) })
        {
            using var single = tensor(ids, [1, ids.Length]);
            using var alone = model.forward(single, image.PixelValues, image.ImageGridThw, lastPositionOnly: true);
            using var mine = batched.Logits[row];
            Assert.True(mine.allclose(alone.Logits[0], rtol: 1e-4, atol: 1e-5), $"row {row}: max |diff| = {(mine - alone.Logits[0]).abs().max().item<float>()}");
            Assert.Equal(alone.RopeDeltas.item<long>() - (row == 0 ? padding : 0), batched.RopeDeltas[row, 0].item<long>());
        }
    }

    [Fact]
    public void ForConditionalGeneration_TextOnly_RunsWithoutVision()
    {
        using var pipeline = Qwen3VLPipeline.Load(fixtures.Untied);
        using var prompt = pipeline.Prepare(null, "Hello there");
        Assert.Null(prompt.Vision);
        Assert.Equal(0, prompt.RopeDelta);
        using var noGrad = no_grad();
        using var logits = pipeline.Model.ForwardEmbeds(prompt.InputsEmbeds, prompt.PositionIds, lastPositionOnly: true);
        Assert.Equal([1L, 1, pipeline.Model.Config.TextConfig.VocabSize], logits.shape);
    }
}
