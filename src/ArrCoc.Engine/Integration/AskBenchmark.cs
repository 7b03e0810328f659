using ArrCoc.Engine.Analysis;
using ArrCoc.Engine.Answering;
using ArrCoc.Engine.Images;
using ArrCoc.Engine.Samples;
using ArrCoc.Qwen3VL;
using ArrCoc.Qwen3VL.Config;
using ArrCoc.Qwen3VL.Fixture;
using ArrCoc.Qwen3VL.Processing;
using ArrCoc.Qwen3VL.Tokenization;
using SixLabors.ImageSharp;

namespace ArrCoc.Engine.Integration;

/// <summary>Figures of one `arrcoc bench ask` run, K kept tokens vs all N, measured side by side.</summary>
public sealed record AskBenchmarkResult
{
    public required string Model { get; init; }
    public required int K { get; init; }
    public required int N { get; init; }
    public required int NewTokens { get; init; }
    public required int PromptTokensK { get; init; }
    public required int PromptTokensAll { get; init; }
    public required double ScoringMs { get; init; }
    /// <summary>ARR-COC stage → ms (texture, knowing, balancing, attending) of the K run.</summary>
    public required IReadOnlyDictionary<string, double> ScoringStagesMs { get; init; }
    public required double VisionEncoderMs { get; init; }
    public required double PrefillMsK { get; init; }
    public required double PrefillMsAll { get; init; }
    public required double TtftMsK { get; init; }
    public required double TtftMsAll { get; init; }
    public required double E2eMsK { get; init; }
    public required double E2eMsAll { get; init; }
    public required double PeakRssMb { get; init; }

    public double PrefillSpeedup => PrefillMsAll / PrefillMsK;
    public double TtftSpeedup => TtftMsAll / TtftMsK;
    public double E2eSpeedup => E2eMsAll / E2eMsK;
    public double ScoringShareOfEncoder => ScoringMs / VisionEncoderMs;
}

/// <summary>
/// ARR-COC's claim in numbers: the same 1024 × 1024 image and question answered from K kept tokens and from all
/// N, each end to end (vision encoder, ARR-COC scoring, prefill, exactly <c>newTokens</c> greedy tokens), on a model
/// with a real configuration and random weights (speed does not depend on the weights' values; no download). The
/// prompt uses the fixture's small tokenizer, whose vision token ids the configuration takes over.
/// </summary>
public static class AskBenchmark
{
    public const string Question = "What colour is the circle on the left, and how many shapes are there in the whole picture?";

    public static AskBenchmarkResult Run(string synthetic, int k = 200, int newTokens = 32, int gridSide = 32, Action<string>? log = null)
    {
        using var temp = new TemporaryFolder();
        TinyTokenizerFiles.Write(temp.Path);
        var tokenizer = Qwen2Tokenizer.FromDirectory(temp.Path);
        var tiny = Qwen3VLFixture.DefaultConfig(tied: true);
        var config = synthetic switch
        {
            "2b" => Qwen3VLConfig.Qwen3VL2B() with
            {
                ImageTokenId = tiny.ImageTokenId, VideoTokenId = tiny.VideoTokenId,
                VisionStartTokenId = tiny.VisionStartTokenId, VisionEndTokenId = tiny.VisionEndTokenId,
            },
            "tiny" => tiny,
            _ => throw new ArgumentException($"unknown synthetic model \"{synthetic}\"; use 2b or tiny"),
        };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var model = Qwen3VLForConditionalGeneration.Create(config);
        model.InitializeRandom(seed: 0);
        model.eval();
        var v = config.VisionConfig;
        var processor = new Qwen2VLImageProcessor(PreprocessorConfig.Qwen3VL(v.PatchSize, v.TemporalPatchSize, v.SpatialMergeSize));
        using var integrated = ArrCocQwen.Create(Qwen3VLPipeline.Create(model, tokenizer, processor, new GenerationConfig()), "synthetic-" + synthetic,
            new ArrCocOptions(), new ImageLimitsOptions());
        log?.Invoke($"built {synthetic} with random weights in {clock.Elapsed.TotalSeconds:0.0} s");

        var settings = new AnswerSettings { MaxNewTokens = newTokens, StopAtEos = false };
        var input = SampleImage();
        using (var small = integrated.Analyzer.Prepare(input, GridSpec.Fixed(2, 2)))
        {
            Ask(integrated, small, new AskRequest { Question = Question, K = 2, Settings = settings with { MaxNewTokens = 2 } });
            Ask(integrated, small, new AskRequest { Question = Question, AllTokens = true, Settings = settings with { MaxNewTokens = 2 } });
        }
        using var image = integrated.Analyzer.Prepare(input, GridSpec.Fixed(gridSide, gridSide));
        WarmUpScoring(integrated.Analyzer, image);
        log?.Invoke("warmed up");

        var kept = Ask(integrated, image, new AskRequest { Question = Question, K = k, Settings = settings });
        log?.Invoke($"K = {k}: {kept.TimingsMs["total"] / 1000:0.0} s");
        var all = Ask(integrated, image, new AskRequest { Question = Question, AllTokens = true, Settings = settings });
        log?.Invoke($"all {gridSide * gridSide}: {all.TimingsMs["total"] / 1000:0.0} s");

        var t = kept.TimingsMs;
        return new AskBenchmarkResult
        {
            Model = synthetic,
            K = k,
            N = gridSide * gridSide,
            NewTokens = newTokens,
            PromptTokensK = kept.PromptTokensUsed,
            PromptTokensAll = all.PromptTokensUsed,
            ScoringMs = t["texture"] + t["knowing"] + t["balancing"] + t["attending"],
            ScoringStagesMs = new[] { "texture", "knowing", "balancing", "attending" }.ToDictionary(s => s, s => t[s]),
            VisionEncoderMs = (t["vision_encoder"] + all.TimingsMs["vision_encoder"]) / 2,
            PrefillMsK = t["prefill"],
            PrefillMsAll = all.TimingsMs["prefill"],
            TtftMsK = t["first_token"],
            TtftMsAll = all.TimingsMs["first_token"],
            E2eMsK = t["total"],
            E2eMsAll = all.TimingsMs["total"],
            PeakRssMb = System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0),
        };
    }

    /// <summary>
    /// A serving process has scored many images before it answers this one: run the scoring until the JIT has
    /// promoted its vector code past tier 0 (promotion happens in the background ~100 ms after a method gets hot).
    /// </summary>
    public static void WarmUpScoring(RelevanceAnalyzer analyzer, PreparedImage image)
    {
        for (int i = 0; i < 5; i++)
        {
            analyzer.Analyze(image, new AnalysisRequest { Question = Question });
            Thread.Sleep(150);
        }
    }

    static AskResult Ask(ArrCocQwen model, PreparedImage image, AskRequest request) =>
        model.AskAsync(image, request).GetAwaiter().GetResult();

    static ImageInput SampleImage()
    {
        using var scene = SampleScenes.All[0].Render();
        using var stream = new MemoryStream();
        scene.SaveAsPng(stream);
        return new ImageInput(stream.ToArray(), "shapes.png");
    }

    sealed class TemporaryFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("arrcoc-bench-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
