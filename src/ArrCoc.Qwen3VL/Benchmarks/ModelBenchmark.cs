using System.Diagnostics;
using ArrCoc.Qwen3VL.Config;
using ArrCoc.Qwen3VL.Fixture;
using ArrCoc.Qwen3VL.Processing;
using ArrCoc.Qwen3VL.Text;
using static TorchSharp.torch;

namespace ArrCoc.Qwen3VL.Benchmarks;

/// <summary>Figures of one `arrcoc bench model` run (JSON names in <see cref="ModelBenchmark"/>).</summary>
public sealed record ModelBenchmarkResult
{
    public required string Config { get; init; }
    public required int Threads { get; init; }
    public required double MatmulGflops { get; init; }
    public required double InitSeconds { get; init; }
    public required long Patches { get; init; }
    public required double VisionEncoderSeconds { get; init; }
    public required double EncoderGflop { get; init; }
    public required long PrefillTokens { get; init; }
    public required double PrefillSeconds { get; init; }
    public required double PrefillGflop { get; init; }
    public required int DecodeTokens { get; init; }
    public required double DecodeSeconds { get; init; }
    public required double PeakRssMb { get; init; }

    public double EncoderGflops => EncoderGflop / VisionEncoderSeconds;
    public double PrefillGflops => PrefillGflop / PrefillSeconds;
    public double PrefillTokensPerSecond => PrefillTokens / PrefillSeconds;
    public double DecodeTokensPerSecond => DecodeTokens / DecodeSeconds;
}

/// <summary>
/// Speed of the model with random weights of a real configuration (no download): one image of
/// <c>imageSide</c>² pixels through the vision tower, a prompt with its image tokens and a question of
/// <c>questionTokens</c> random ids through prefill, then greedy decoding steps with the KV cache. Achieved GFLOPS are
/// analytic FLOP counts (multiply-add = 2) over measured time, compared with a float32 matmul timed in the same run.
/// </summary>
public static class ModelBenchmark
{
    public static Qwen3VLConfig Named(string name) => name switch
    {
        "2b" => Qwen3VLConfig.Qwen3VL2B(),
        "tiny" => Qwen3VLFixture.DefaultConfig(tied: true),
        _ => throw new ArgumentException($"unknown synthetic model \"{name}\"; use 2b or tiny."),
    };

    public static ModelBenchmarkResult Run(string name, int imageSide = 1024, int questionTokens = 20, int decodeTokens = 8, Action<string>? log = null)
    {
        var config = Named(name);
        var v = config.VisionConfig;
        var t = config.TextConfig;
        var factor = v.PatchSize * v.SpatialMergeSize;
        if (imageSide % factor != 0) throw new ArgumentException($"image side {imageSide} must be a multiple of {factor}.");
        // The reference matmul is measured three times (start, before the encoder, before the prefill) and the
        // median is used, so a shared machine's load shifts both sides of the ratio alike.
        var matmuls = new List<double> { MatmulGflops() };
        log?.Invoke($"float32 matmul: {matmuls[0]:0.0} GFLOPS");

        var clock = Stopwatch.StartNew();
        using var model = Qwen3VLForConditionalGeneration.Create(config);
        model.InitializeRandom(seed: 0);
        model.eval();
        var init = clock.Elapsed.TotalSeconds;
        log?.Invoke($"built {name} with random weights in {init:0.0} s");

        using var noGrad = no_grad();
        var processor = new Qwen2VLImageProcessor(PreprocessorConfig.Qwen3VL(v.PatchSize, v.TemporalPatchSize, v.SpatialMergeSize));
        var generator = new Generator(7, CPU);
        using var pixels = randint(0, 256, [3, imageSide, imageSide], ScalarType.Byte, generator: generator);
        using var image = processor.PreprocessFixedGrid(pixels, imageSide / factor, imageSide / factor);

        // Warm-up on a small image (one-off kernel and allocator setup), then the timed encoder run.
        using (var small = processor.PreprocessFixedGrid(pixels, 2, 2))
        using (model.Model.GetImageFeatures(small.PixelValues, small.ImageGridThw)) { }
        matmuls.Add(MatmulGflops());
        clock.Restart();
        using var vision = model.Model.GetImageFeatures(image.PixelValues, image.ImageGridThw);
        var encoderSeconds = clock.Elapsed.TotalSeconds;
        log?.Invoke($"vision encoder: {encoderSeconds:0.00} s for {image.PixelValues.shape[0]} patches");

        // Prompt: <|im_start|> user \n <|vision_start|> pads <|vision_end|> question <|im_end|> \n <|im_start|> assistant \n,
        // text tokens drawn at random (speed does not depend on their values).
        long[] randomText(int n)
        {
            using var ids = randint(0, Math.Min(t.VocabSize, 150_000), [n], ScalarType.Int64, generator: generator);
            return ids.data<long>().ToArray();
        }
        var ids = new List<long>();
        ids.AddRange(randomText(3));
        ids.Add(config.VisionStartTokenId);
        ids.AddRange(Enumerable.Repeat(config.ImageTokenId, image.MergedTokens));
        ids.Add(config.VisionEndTokenId);
        ids.AddRange(randomText(questionTokens + 5));
        using var inputIds = tensor(ids.ToArray(), [1, ids.Count]);
        var (embeds, positions) = model.Model.EmbedWithImages(inputIds, vision.ImageEmbeds);
        var (positionIds, deltas) = model.Model.GetRopeIndex(inputIds, image.ImageGridThw);
        using var cache = new KvCache(t.NumHiddenLayers);

        // Warm-up prefill on a short text, then the timed prefill.
        using (var warmCache = new KvCache(t.NumHiddenLayers))
        using (var warmIds = inputIds.narrow(1, 0, 8))
        using (var warmEmbeds = model.Model.LanguageModel.EmbedTokens(warmIds))
        using (var warmPositions = arange(8).view(1, 1, 8).expand(3, 1, 8).contiguous())
        using (model.ForwardEmbeds(warmEmbeds, warmPositions, warmCache, lastPositionOnly: true)) { }
        matmuls.Add(MatmulGflops());
        clock.Restart();
        var logits = model.ForwardEmbeds(embeds, positionIds, cache, visual: new VisualInjection(positions, vision.Deepstack), lastPositionOnly: true);
        var prefillSeconds = clock.Elapsed.TotalSeconds;
        log?.Invoke($"prefill: {prefillSeconds:0.00} s for {ids.Count} tokens");

        var delta = deltas.item<long>();
        clock.Restart();
        for (var step = 0; step < decodeTokens; step++)
        {
            using var scope = NewDisposeScope();
            var next = logits.reshape(-1).argmax().view(1, 1);
            logits.Dispose();
            var position = full([3, 1, 1], ids.Count + step + delta, ScalarType.Int64);
            logits = model.ForwardEmbeds(model.Model.LanguageModel.EmbedTokens(next), position, cache, lastPositionOnly: true).DetachFromDisposeScope();
        }
        var decodeSeconds = clock.Elapsed.TotalSeconds;
        logits.Dispose();
        foreach (var x in new[] { embeds, positions, positionIds, deltas }) x.Dispose();

        return new ModelBenchmarkResult
        {
            Config = name,
            Threads = get_num_threads(),
            MatmulGflops = matmuls.Order().ElementAt(1),
            InitSeconds = init,
            Patches = image.PixelValues.shape[0],
            VisionEncoderSeconds = encoderSeconds,
            EncoderGflop = EncoderFlops(v, image.PixelValues.shape[0]) / 1e9,
            PrefillTokens = ids.Count,
            PrefillSeconds = prefillSeconds,
            PrefillGflop = PrefillFlops(t, ids.Count) / 1e9,
            DecodeTokens = decodeTokens,
            DecodeSeconds = decodeSeconds,
            PeakRssMb = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0),
        };
    }

    /// <summary>Best of five float32 [2048, 2048] × [2048, 2048] products, in GFLOPS.</summary>
    public static double MatmulGflops(int n = 2048)
    {
        using var noGrad = no_grad();
        using var a = randn(n, n);
        using var b = randn(n, n);
        using (a.matmul(b)) { }
        var best = double.MaxValue;
        for (var i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            using (a.matmul(b)) { }
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return 2.0 * n * n * n / best / 1e9;
    }

    /// <summary>Vision tower FLOPs for one image of <paramref name="n"/> patches (patch embed, blocks, all mergers).</summary>
    public static double EncoderFlops(Qwen3VLVisionConfig v, long n)
    {
        double d = v.HiddenSize, i = v.IntermediateSize, e = v.PatchDim, w4 = 4.0 * d, m = n / 4.0, o = v.OutHiddenSize;
        var block = 2 * n * d * 3 * d + 2 * n * d * d + 2 * 2 * (double)n * n * d + 2 * 2 * n * d * i;
        var merger = 2 * m * w4 * w4 + 2 * m * w4 * o;
        return 2 * n * e * d + v.Depth * block + (1 + v.DeepstackVisualIndexes.Length) * merger;
    }

    /// <summary>Decoder FLOPs for a causal prefill of <paramref name="s"/> tokens (attention counted causally), head on the last position.</summary>
    public static double PrefillFlops(Qwen3VLTextConfig t, long s)
    {
        double d = t.HiddenSize, q = (double)t.NumAttentionHeads * t.HeadDim, kv = (double)t.NumKeyValueHeads * t.HeadDim, i = t.IntermediateSize;
        var projections = 2 * s * d * q + 2 * 2 * s * d * kv + 2 * s * q * d;
        var attention = 2 * (double)s * s * q;                                     // QKᵀ and AV, half of the S×S pairs
        var mlp = 3 * 2 * s * d * i;
        return t.NumHiddenLayers * (projections + attention + mlp) + 2 * d * t.VocabSize;
    }
}
