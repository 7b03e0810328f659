using ArrCoc.Qwen3VL.Config;
using ArrCoc.Qwen3VL.Processing;
using static TorchSharp.torch;

namespace ArrCoc.Qwen3VL.Tests;

/// <summary>smart_resize vectors, patch flattening order, normalisation, fixed-grid mode, chat template.</summary>
public sealed class ProcessorTests
{
    static readonly Qwen2VLImageProcessor Processor = new(PreprocessorConfig.Qwen3VL());

    [Theory]
    [InlineData(1024, 1024, 1024, 1024)]
    [InlineData(480, 640, 480, 640)]
    [InlineData(100, 100, 256, 256)]
    [InlineData(200, 300, 224, 320)]
    [InlineData(48, 80, 224, 352)]
    [InlineData(5000, 3000, 4992, 3008)]
    [InlineData(5000, 5000, 4096, 4096)]
    [InlineData(4096, 4096, 4096, 4096)]
    public void SmartResize_FactsSheetVectors(int h, int w, int expectedH, int expectedW) =>
        Assert.Equal((expectedH, expectedW), Qwen2VLImageProcessor.SmartResize(h, w, 32, 65536, 16777216));

    [Fact]
    public void SmartResize_RoundHalfToEven()
    {
        // 48 / 32 = 1.5 → 2 (even), 80 / 32 = 2.5 → 2 (even): 64 × 64 before the min-pixels step.
        Assert.Equal((64, 64), Qwen2VLImageProcessor.SmartResize(48, 80, 32, 1, 1 << 30));
        Assert.Equal((128, 64), Qwen2VLImageProcessor.SmartResize(112, 80, 32, 1, 1 << 30)); // 3.5 → 4
    }

    [Theory]
    [InlineData(20, 100)]
    [InlineData(32, 7000)]
    public void SmartResize_TooSmallOrTooThin_Throws(int h, int w) =>
        Assert.Throws<ArgumentException>(() => Qwen2VLImageProcessor.SmartResize(h, w, 32, 65536, 16777216));

    [Fact]
    public void Preprocess_PatchRows_FollowMergeWindowOrderAndWeightLayout()
    {
        // 64×96 image (already a smart_resize size when min pixels allow it) → grid 4×6 patches.
        var processor = new Qwen2VLImageProcessor(PreprocessorConfig.Qwen3VL() with { MinPixels = 1 });
        const int height = 64, width = 96;
        var pixels = new byte[height * width * 3];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                for (var c = 0; c < 3; c++)
                    pixels[3 * (y * width + x) + c] = (byte)((y * 7 + x * 3 + c * 50) % 256);
        using var result = processor.Preprocess(new RgbImage(width, height, pixels));
        Assert.Equal([1L, 4, 6], result.ImageGridThw.data<long>().ToArray());
        Assert.Equal([24L, 1536], result.PixelValues.shape);
        var values = result.PixelValues.data<float>().ToArray();
        // Row n ↔ (bh, bw, mh, mw), patch (r, c) = (2·bh + mh, 2·bw + mw); column e = ((ch·2 + tt)·16 + py)·16 + px.
        foreach (var (bh, bw, mh, mw, ch, tt, py, px) in new[] { (0, 0, 0, 0, 0, 0, 0, 0), (1, 2, 1, 0, 2, 1, 5, 9), (0, 1, 1, 1, 1, 0, 15, 15), (1, 0, 0, 1, 2, 1, 3, 4) })
        {
            var n = ((bh * 3 + bw) * 2 + mh) * 2 + mw;
            var e = ((ch * 2 + tt) * 16 + py) * 16 + px;
            int r = 2 * bh + mh, c = 2 * bw + mw;
            var raw = pixels[3 * ((r * 16 + py) * width + c * 16 + px) + ch];
            Assert.Equal((raw - 127.5f) / 127.5f, values[n * 1536 + e]);
        }
    }

    [Fact]
    public void Preprocess_Normalisation_MapsBlackAndWhiteToMinusOneAndOne()
    {
        var pixels = new byte[256 * 256 * 3];
        for (var i = 0; i < pixels.Length; i += 2) pixels[i] = 255;
        using var result = Processor.Preprocess(new RgbImage(256, 256, pixels));
        using var min = result.PixelValues.min();
        using var max = result.PixelValues.max();
        Assert.Equal(-1f, min.item<float>());
        Assert.Equal(1f, max.item<float>());
    }

    [Fact]
    public void PreprocessFixedGrid_AnySize_ResizesToExactCells()
    {
        using var result = Processor.PreprocessFixedGrid(FixtureCheckpoints.Image(300, 200), 5, 7);
        Assert.Equal((160, 224), (result.ResizedHeight, result.ResizedWidth));
        Assert.Equal([1L, 10, 14], result.ImageGridThw.data<long>().ToArray());
        Assert.Equal(35, result.MergedTokens);
    }

    [Fact]
    public void Resize_SameSize_ReturnsSamePixels()
    {
        using var image = FixtureCheckpoints.Image(64, 64).ToTensor();
        using var resized = Qwen2VLImageProcessor.Resize(image, 64, 64);
        Assert.True(resized.Identical(image));
    }

    [Fact]
    public void Resize_Downscale_IsAntialiasedBicubicOnUint8()
    {
        using var image = FixtureCheckpoints.Image(128, 96).ToTensor();
        using var resized = Qwen2VLImageProcessor.Resize(image, 48, 64);
        Assert.Equal(ScalarType.Byte, resized.dtype);
        Assert.Equal([3L, 48, 64], resized.shape);
        // A horizontal ramp stays monotonic after the resize.
        var row = resized[0, 10].data<byte>().ToArray();
        Assert.True(row.Zip(row.Skip(1)).All(p => p.First <= p.Second));
    }

    [Fact]
    public void ChatTemplate_ImageAndQuestion_IsTheOfficialText()
    {
        Assert.Equal("<|im_start|>user\n<|vision_start|><|image_pad|><|vision_end|>What?<|im_end|>\n<|im_start|>assistant\n", ChatTemplate.Render("What?", withImage: true));
        Assert.Equal("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", ChatTemplate.Render("Hi", withImage: false));
    }

    [Fact]
    public void ChatTemplate_RealTokenizer_ExpandsPadsAndMatchesKnownIds()
    {
        var tokenizer = Tokenization.Qwen2Tokenizer.FromDirectory(TestPaths.Qwen3TokenizerDir);
        var ids = ChatTemplate.Tokenize(tokenizer, "What?", 4);
        Assert.Equal([151644, 872, 198, 151652, 151655, 151655, 151655, 151655, 151653, 3838, 30, 151645, 198, 151644, 77091, 198], ids);
    }

    [Fact]
    public void ChatTemplate_QuestionContainingImagePad_Rejected()
    {
        var tokenizer = Tokenization.Qwen2Tokenizer.FromDirectory(TestPaths.Qwen3TokenizerDir);
        var e = Assert.Throws<ArgumentException>(() => ChatTemplate.Tokenize(tokenizer, "look <|image_pad|>", 4));
        Assert.Contains("8 <|image_pad|> tokens but the image needs 4: the question must not contain <|image_pad|>", e.Message);
    }
}
