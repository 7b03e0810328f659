using ArrCoc.Core.Checkpoints;
using ArrCoc.Engine.Analysis;
using ArrCoc.Engine.Images;
using ArrCoc.Engine.Integration;
using ArrCoc.Engine.Training;
using ArrCoc.Engine.Vqa;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ArrCoc.Engine.Tests;

/// <summary>
/// Training ARR-COC on the fixture model and a synthetic VQAv2 set (4 × 4 cells). The straight-through factor is
/// exactly 1 in the forward pass, so the loss moves only when the kept cells change: small, stepwise changes on a
/// random-weight model. K = 2 of 16 makes the selection matter most.
/// </summary>
public sealed class TrainingTests(TrainingFixture fixture, ITestOutputHelper output) : IClassFixture<TrainingFixture>
{
    readonly ArrCocQwen _model = fixture.Model;

    static TrainingOptions Options(int steps, int batch = 1, int every = 0, long seed = 1) => new()
    {
        Grid = "4", K = 2, Steps = steps, Batch = batch, LearningRate = 0.003, WarmupSteps = 2, CheckpointEvery = every, Seed = seed,
    };

    Trainer Trainer(TrainingOptions options, string run, int examples = 6) =>
        new(_model, fixture.Examples.Take(examples).ToList(), options, fixture.DataDirectory, run);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Train_ThirtySteps_LastEpochLossBelowTheFirstAndQwenUnchanged(long seed)
    {
        using var run = new TempDirectory();
        var qwenBefore = _model.Qwen.Model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());

        var result = Trainer(Options(steps: 30, seed: seed), run.Path).Run();

        var losses = result.Steps.Select(s => s.Loss).ToArray();
        output.WriteLine(string.Join(" ", losses.Select(l => l.ToString("0.0000"))));
        // 6 examples, one per step: steps 1–6 and 25–30 are the same six questions (epochs 1 and 5).
        double first = losses[..6].Average(), last = losses[^6..].Average();
        Assert.True(last < first, $"mean loss of the last epoch {last} is not below the first epoch's {first}");
        Assert.Equal(Enumerable.Range(1, 30), TrainingLog.ReadLosses(run.Path).Select(l => l.Step));
        Assert.Equal(30, result.Final.State.Step);
        Assert.All(result.Steps, s => Assert.True(s.LearningRate > 0 && s.GradNorm >= 0));

        var qwenAfter = _model.Qwen.Model.state_dict();
        Assert.Equal(qwenBefore.Keys.Order(), qwenAfter.Keys.Order());
        Assert.All(qwenBefore, kv => Assert.True(TensorAssertions.Identical(kv.Value, qwenAfter[kv.Key]), kv.Key));
        Assert.All(_model.Qwen.Model.parameters(), p => Assert.Null(p.grad));
        foreach (var t in qwenBefore.Values) t.Dispose();
    }

    [Fact]
    public void Resume_FromMidRunAndFromAnInterrupt_ReproducesTheUninterruptedRunExactly()
    {
        using var straight = new TempDirectory();
        using var resumed = new TempDirectory();
        using var interrupted = new TempDirectory();
        var options = Options(steps: 6, batch: 2, every: 3);
        var full = Trainer(options, straight.Path, examples: 5).Run();
        Assert.Equal(["step-000003", "step-000006"], Directory.GetDirectories(Path.Combine(straight.Path, "checkpoints")).Select(Path.GetFileName).Order());

        // From the scheduled mid-run checkpoint, into another folder.
        var middle = TrainingCheckpoint.Open(Path.Combine(straight.Path, "checkpoints", "step-000003"));
        Assert.Equal(new DataPosition(1, 1), middle.State.Position); // 6 of 5 examples seen: epoch 1, index 1
        var fromMiddle = Trainer(middle.State.Config, resumed.Path, examples: 5).Run(middle);
        AssertSameRun(full, fromMiddle);
        Assert.Equal(full.Steps.Skip(3).Select(s => s.Loss), fromMiddle.Steps.Select(s => s.Loss));

        // Ctrl-C during step 3: the step is dropped, step 2 is saved, the resumed run redoes step 3.
        using var cancel = new CancellationTokenSource();
        var error = Assert.Throws<TrainingInterruptedException>(() => Trainer(options, interrupted.Path, examples: 5)
            .Run(onStep: s => { if (s.Step == 2) cancel.Cancel(); }, cancellationToken: cancel.Token));
        Assert.Equal(2, error.Checkpoint.State.Step);
        Assert.True(error.Checkpoint.State.Interrupted);
        var latest = TrainingCheckpoint.Open(interrupted.Path);            // a run folder opens its latest checkpoint
        Assert.Equal(error.Checkpoint.Directory, latest.Directory);
        var afterInterrupt = Trainer(latest.State.Config, interrupted.Path, examples: 5).Run(latest);
        AssertSameRun(full, afterInterrupt);
        Assert.Equal(full.Steps.Select(s => s.Loss), TrainingLog.ReadLosses(interrupted.Path).Select(l => l.Loss));
    }

    [Fact]
    public void UnreadableImage_MidRun_KeepsTheStepsBeforeIt_AndTheRunResumesOnceFixed()
    {
        using var run = new TempDirectory();
        var broken = run.File("broken.png");
        File.WriteAllText(broken, "not an image");
        var examples = fixture.Examples.Take(3).Append(fixture.Examples[3] with { ImagePath = broken }).ToList();
        // A seed whose data order reaches the broken record (index 3) at step 3 or later, one example per step.
        long seed = Enumerable.Range(0, 100).First(s => Array.IndexOf(DataOrder.Permutation(4, s, 0), 3) >= 2);
        int brokenStep = Array.IndexOf(DataOrder.Permutation(4, seed, 0), 3) + 1;
        var options = Options(steps: 6) with { Seed = seed };
        var trainer = new Trainer(_model, examples, options, fixture.DataDirectory, run.File("run"));

        var error = Assert.Throws<TrainingStoppedException>(() => trainer.Run());

        Assert.Contains("broken.png", error.Message);
        var saved = Assert.IsType<TrainingCheckpoint>(error.Checkpoint);
        Assert.Equal(brokenStep - 1, saved.State.Step);
        Assert.Contains($"checkpoint of step {brokenStep - 1} saved", error.Message);
        Assert.Equal(brokenStep - 1, TrainingLog.ReadLosses(run.File("run")).Count);

        File.Copy(fixture.Examples[3].ImagePath, broken, overwrite: true); // the record fixed
        var resumed = new Trainer(_model, examples, saved.State.Config, fixture.DataDirectory, run.File("run")).Run(TrainingCheckpoint.Open(saved.Directory));
        Assert.Equal(6, resumed.Final.State.Step);
        Assert.Equal(Enumerable.Range(1, 6), TrainingLog.ReadLosses(run.File("run")).Select(l => l.Step));
    }

    [Fact]
    public void UnreadableImage_FirstStep_SavesNothing()
    {
        using var run = new TempDirectory();
        var broken = run.File("broken.png");
        File.WriteAllText(broken, "not an image");
        var examples = new List<VqaExample> { fixture.Examples[0] with { ImagePath = broken } };

        var error = Assert.Throws<TrainingStoppedException>(() => new Trainer(_model, examples, Options(steps: 2), fixture.DataDirectory, run.File("run")).Run());

        Assert.Null(error.Checkpoint);
        Assert.Contains("nothing was saved", error.Message);
        Assert.False(Directory.Exists(Path.Combine(run.File("run"), "checkpoints")));
    }

    static void AssertSameRun(TrainingResult expected, TrainingResult actual)
    {
        Assert.Equal(expected.Final.State.Step, actual.Final.State.Step);
        Assert.Equal(expected.Final.State.Position, actual.Final.State.Position);
        var (a, _) = Safetensors.Read(expected.Final.WeightsPath);
        var (b, _) = Safetensors.Read(actual.Final.WeightsPath);
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        Assert.All(a, kv => Assert.True(TensorAssertions.Identical(kv.Value, b[kv.Key]), kv.Key));
        Assert.Equal(File.ReadAllBytes(expected.Final.OptimizerPath), File.ReadAllBytes(actual.Final.OptimizerPath)); // AdamW's moments and step count
        foreach (var t in a.Values.Concat(b.Values)) t.Dispose();
    }

    [Fact]
    public void Checkpoint_LoadsIntoTheAnalysisPipeline()
    {
        using var run = new TempDirectory();
        var result = Trainer(Options(steps: 2), run.Path).Run();
        var trained = _model.Analyzer.Pipeline.Model.state_dict();

        var analyzer = new RelevanceAnalyzer(new ArrCocOptions { Checkpoint = result.Final.WeightsPath }, new ImageLimitsOptions(), _model.QueryEmbedder);
        Assert.False(analyzer.Untrained);
        var loaded = analyzer.Pipeline.Model.state_dict();
        Assert.All(trained, kv => Assert.True(TensorAssertions.Identical(kv.Value, loaded[kv.Key]), kv.Key));
        using var image = analyzer.Prepare(ImageInput.FromFile(fixture.Examples[0].ImagePath, new ImageLimitsOptions { MaxFileBytes = 1 << 24 }), GridSpec.Fixed(4, 4));
        var analysis = analyzer.Analyze(image, new AnalysisRequest { Question = fixture.Examples[0].Question, K = 2 });
        Assert.Equal(result.Final.WeightsPath, analysis.Checkpoint);
        Assert.Equal(2, analysis.Relevance.Kept.Length);
    }

    [Fact]
    public void Resume_OtherData_IsRefusedWithBothFingerprints()
    {
        using var run = new TempDirectory();
        var result = Trainer(Options(steps: 1), run.Path, examples: 3).Run();
        var error = Assert.Throws<InvalidDataException>(() => Trainer(Options(steps: 1), run.Path, examples: 4).Run(result.Final));
        Assert.Contains("3 questions", error.Message);
        Assert.Contains("4 questions", error.Message);
    }

    [Fact]
    public void Trainer_KLargerThanTheGrid_IsRefusedBeforeTraining()
    {
        using var run = new TempDirectory();
        var error = Assert.ThrowsAny<ArgumentException>(() => Trainer(Options(steps: 1) with { K = 17 }, run.Path));
        Assert.Contains("16", error.Message);
    }
}

/// <summary>Validation on the fixture: both answers per question from one prompt, scored with the official metric.</summary>
public sealed class ValidationTests(TrainingFixture fixture) : IClassFixture<TrainingFixture>
{
    [Fact]
    public async Task Validate_ThreeQuestions_PerQuestionFileAndMeans()
    {
        using var dir = new TempDirectory();
        var validator = new Validator(fixture.Model, new ValidationOptions { Grid = "4", K = 2, Limit = 3, MaxNewTokens = 3 });
        var seen = new List<int>();
        var summary = await validator.RunAsync(fixture.Examples, dir.File("records.jsonl"), (_, done) => seen.Add(done));

        Assert.Equal([1, 2, 3], seen);
        var lines = File.ReadAllLines(dir.File("records.jsonl"));
        Assert.Equal(3, lines.Length);
        var records = lines.Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        for (int i = 0; i < 3; i++)
        {
            var r = records[i];
            Assert.Equal(fixture.Examples[i].QuestionId, r.GetProperty("question_id").GetInt64());
            Assert.Equal(2, r.GetProperty("kept").GetArrayLength());
            Assert.Equal(16, r.GetProperty("cells").GetInt32());
            Assert.Equal(10, r.GetProperty("answers").GetArrayLength());
            foreach (var way in new[] { "arr_coc", "all_tokens" })
            {
                var answer = r.GetProperty(way).GetProperty("answer").GetString()!;
                Assert.Equal(VqaAccuracy.Score(answer, fixture.Examples[i].Answers), r.GetProperty(way).GetProperty("accuracy").GetDouble());
            }
        }
        double mean = records.Average(r => r.GetProperty("arr_coc").GetProperty("accuracy").GetDouble());
        Assert.Equal(mean, summary.Overall.ArrCocAccuracy, 12);
        Assert.Equal(3, summary.Overall.Questions);
        Assert.Equal(3, summary.ByAnswerType.Values.Sum(s => s.Questions));
        Assert.Equal("untrained (seed 0)", summary.Checkpoint);
    }

    [Fact]
    public async Task Validate_KeepingEveryCell_BothWaysAnswerAlike()
    {
        using var dir = new TempDirectory();
        var validator = new Validator(fixture.Model, new ValidationOptions { Grid = "4", K = 16, Limit = 2, MaxNewTokens = 4 });
        var records = new List<ValidationRecord>();
        await validator.RunAsync(fixture.Examples, dir.File("records.jsonl"), (r, _) => records.Add(r));
        Assert.All(records, r => Assert.Equal(r.AllTokens, r.ArrCoc));
    }

    [Fact]
    public void Score_NoAllTokensAccuracy_NoRetention()
    {
        Assert.Null(new ValidationScore(3, 0, 0).Retention);
        Assert.Equal(0.5, new ValidationScore(3, 0.3, 0.6).Retention!.Value, 12);
    }
}

/// <summary>The fixture model and a synthetic VQAv2 training set, made once for the class.</summary>
public sealed class TrainingFixture : IDisposable
{
    readonly TempDirectory _directory = new();
    readonly FixtureModel _model = new();

    public TrainingFixture()
    {
        DataDirectory = _directory.File("vqa");
        SyntheticVqa.Write(DataDirectory, 8, "train2014", seed: 5);
        Examples = VqaDataset.Load(DataDirectory, "train2014");
    }

    public ArrCocQwen Model => _model.Model;

    public string DataDirectory { get; }

    public IReadOnlyList<VqaExample> Examples { get; }

    public void Dispose()
    {
        _model.Dispose();
        _directory.Dispose();
    }
}
