using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using ArrCoc.Core;
using ArrCoc.Core.Checkpoints;
using ArrCoc.Engine.Analysis;
using ArrCoc.Engine.Images;
using ArrCoc.Engine.Integration;
using ArrCoc.Engine.Vqa;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ArrCoc.Engine.Training;

/// <summary>
/// Trains ARR-COC's participatory scorer and balancer against a frozen Qwen3-VL on visual questions (the seed's
/// training): per example, the cross-entropy of the most frequent human answer after the chat template's
/// assistant prefix, through the straight-through selection (<see cref="AnswerLoss"/>); B examples per optimizer
/// step, one image at a time (gradient accumulation); global gradient clipping; AdamW with warm-up and cosine
/// decay; a seeded data order. Checkpoints every N steps, at the end and on an interrupt; a resumed run reproduces
/// the uninterrupted one bit for bit (same weights, optimizer moments, learning rates, data order). Synchronous:
/// run it on one thread (tensor scopes are per thread). Not thread-safe.
/// </summary>
public sealed class Trainer
{
    readonly ArrCocQwen model;
    readonly IReadOnlyList<VqaExample> examples;
    readonly TrainingOptions options;
    readonly string runDirectory;
    readonly TrainingData data;
    readonly GridSpec grid;

    /// <param name="examples">The data as loaded (and limited): the data order indexes into this list.</param>
    /// <param name="dataPath">Where the data came from (recorded in every checkpoint).</param>
    /// <param name="runDirectory">OUT: checkpoints/, train_log.jsonl, train_log.csv.</param>
    public Trainer(ArrCocQwen model, IReadOnlyList<VqaExample> examples, TrainingOptions options, string dataPath, string runDirectory)
    {
        options.Validate();
        if (examples.Count == 0) throw new ArgumentException($"{dataPath} has no questions to train on");
        this.model = model;
        this.examples = examples;
        this.options = options;
        this.runDirectory = Path.GetFullPath(runDirectory);
        grid = options.GridSpec();
        data = new TrainingData { Path = dataPath, Split = options.Split, Examples = examples.Count, Fingerprint = Fingerprint(examples) };
    }

    public TrainingOptions Options => options;

    /// <summary>
    /// Train up to <see cref="TrainingOptions.Steps"/>, from the start or from <paramref name="resume"/>. On
    /// cancellation the current step is abandoned (its partial gradients dropped), a checkpoint of the last
    /// completed step is saved and <see cref="TrainingInterruptedException"/> is thrown. A record that cannot be
    /// trained on (e.g. an unreadable image) stops the run the same way, with <see cref="TrainingStoppedException"/>.
    /// </summary>
    /// <param name="onStep">Called after every optimizer step.</param>
    /// <param name="onCheckpoint">Called after every checkpoint is saved (e.g. to upload it).</param>
    public TrainingResult Run(TrainingCheckpoint? resume = null, Action<TrainingStep>? onStep = null,
        Action<TrainingCheckpoint>? onCheckpoint = null, CancellationToken cancellationToken = default)
    {
        if (resume is not null) CheckResumable(resume.State);
        // Everything a run creates goes with it: wrappers, optimizer state, checkpoint conversions. The modules'
        // parameters existed before and are not in the scope.
        using var scope = NewDisposeScope();
        var arrcoc = model.Analyzer.Pipeline.Model;
        InitialiseWeights(arrcoc, resume);
        var parameters = arrcoc.parameters().ToList();
        using var optimizer = optim.AdamW(parameters, options.LearningRate, options.Beta1, options.Beta2, options.Epsilon, options.WeightDecay);
        if (resume is not null) optimizer.load_state_dict(resume.OptimizerPath);

        int step = resume?.State.Step ?? 0;
        double elapsedBefore = resume?.State.Metrics.ElapsedSeconds ?? 0;
        var order = new DataOrder(examples.Count, options.Seed, resume?.State.Position ?? default);
        var recent = new Queue<double>();
        var steps = new List<TrainingStep>();
        var clock = Stopwatch.StartNew();
        TrainingCheckpoint? last = resume;
        TrainingMetrics metrics = resume?.State.Metrics ?? new TrainingMetrics();
        using var log = TrainingLog.Open(runDirectory, step);

        TrainingCheckpoint Save(bool interrupted)
        {
            var state = new TrainingState
            {
                Step = step,
                Position = order.Position,
                ExamplesSeen = (long)step * options.Batch,
                Interrupted = interrupted,
                Model = model.ModelId,
                QueryDim = arrcoc.QueryDim,
                Data = data,
                Config = options,
                Metrics = metrics with { ElapsedSeconds = elapsedBefore + clock.Elapsed.TotalSeconds },
            };
            var saved = TrainingCheckpoint.Save(runDirectory, arrcoc, optimizer, state);
            onCheckpoint?.Invoke(saved);
            return saved;
        }

        arrcoc.train();
        try
        {
            while (step < options.Steps)
            {
                var start = order.Position;
                double lossSum = 0;
                for (int b = 0; b < options.Batch; b++)
                {
                    if (cancellationToken.IsCancellationRequested)
                    {
                        optimizer.zero_grad();
                        order.Rewind(start);
                        throw new TrainingInterruptedException(Save(interrupted: true), cancellationToken);
                    }
                    var example = examples[order.Next()];
                    try
                    {
                        lossSum += Example(example);
                    }
                    catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException)
                    {
                        optimizer.zero_grad();
                        order.Rewind(start);
                        bool progressed = step > (resume?.State.Step ?? 0);
                        throw new TrainingStoppedException(e, progressed ? Save(interrupted: true) : null);
                    }
                }
                double lr = LearningRateSchedule.At(step + 1, options);
                double gradNorm = Update(optimizer, parameters, lr, lossSum, step + 1);
                step++;

                double loss = lossSum / options.Batch;
                recent.Enqueue(loss);
                if (recent.Count > 10) recent.Dequeue();
                metrics = new TrainingMetrics { Loss = loss, LossMean10 = recent.Average(), LearningRate = lr, GradNorm = gradNorm };
                int stepsThisSession = steps.Count + 1;
                double seconds = clock.Elapsed.TotalSeconds;
                var record = new TrainingStep
                {
                    Step = step,
                    TotalSteps = options.Steps,
                    Loss = loss,
                    LearningRate = lr,
                    GradNorm = gradNorm,
                    Epoch = order.Position.Epoch,
                    ExamplesSeen = (long)step * options.Batch,
                    ElapsedSeconds = elapsedBefore + seconds,
                    ExamplesPerSecond = stepsThisSession * options.Batch / Math.Max(seconds, 1e-9),
                    EtaSeconds = seconds / stepsThisSession * (options.Steps - step),
                };
                steps.Add(record);
                log.Append(record);
                onStep?.Invoke(record);
                if (step == options.Steps || (options.CheckpointEvery > 0 && step % options.CheckpointEvery == 0))
                    last = Save(interrupted: false);
            }
        }
        finally
        {
            arrcoc.eval();
        }
        if (last is null || last.State.Step != step) last = Save(interrupted: false); // resumed at the end already
        double total = clock.Elapsed.TotalSeconds;
        return new TrainingResult
        {
            Final = last,
            StepsThisSession = steps.Count,
            Steps = steps,
            ElapsedSeconds = total,
            ExamplesPerSecond = steps.Count * options.Batch / Math.Max(total, 1e-9),
        };
    }

    /// <summary>Clip the accumulated gradients, take one AdamW step at <paramref name="lr"/>, clear them; returns the norm before clipping.</summary>
    double Update(AdamW optimizer, List<Parameter> parameters, double lr, double lossSum, int step)
    {
        using var scope = NewDisposeScope();
        double gradNorm = nn.utils.clip_grad_norm_(parameters, options.MaxGradNorm > 0 ? options.MaxGradNorm : double.PositiveInfinity);
        if (!double.IsFinite(gradNorm) || !double.IsFinite(lossSum))
            throw new InvalidDataException($"step {step}: the loss or the gradient is not finite (loss {lossSum / options.Batch}, gradient norm {gradNorm}); try a lower --lr");
        foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
        using (no_grad()) optimizer.step();
        optimizer.zero_grad();
        return gradNorm;
    }

    /// <summary>Forward and backward of one example (loss / B accumulated into the gradients); returns its loss.</summary>
    double Example(VqaExample example)
    {
        using var scope = NewDisposeScope();
        using (var image = example.PrepareImage(model.Analyzer, grid))
        {
            int k = grid.IsAuto ? Math.Min(options.K, image.Rows * image.Columns) : options.K;
            using var output = AnswerLoss.Compute(model, image, example.Question, example.TargetAnswer, k, promptSuffix: options.PromptSuffix);
            var scaled = output.Loss / options.Batch;
            scaled.backward();
            return output.Loss.item<float>();
        }
    }

    /// <summary>The starting weights: the resumed checkpoint's, --init-checkpoint's, or the seeded initialisation.</summary>
    void InitialiseWeights(ArrCocModel arrcoc, TrainingCheckpoint? resume)
    {
        if (resume is not null)
        {
            ArrCocCheckpoint.LoadInto(arrcoc, resume.WeightsPath);
            return;
        }
        if (!string.IsNullOrWhiteSpace(options.InitCheckpoint))
        {
            ArrCocCheckpoint.LoadInto(arrcoc, options.InitCheckpoint);
            return;
        }
        using var seeded = new ArrCocModel(arrcoc.QueryDim, options.Seed);
        var source = seeded.state_dict();
        using (no_grad())
        {
            foreach (var (name, parameter) in arrcoc.named_parameters())
                parameter.copy_(source[name]);
        }
    }

    void CheckResumable(TrainingState state)
    {
        if (state.Config != options)
            throw new ArgumentException("the resumed run must use the checkpoint's configuration (TrainingState.Config)");
        if (state.Data.Fingerprint != data.Fingerprint || state.Data.Examples != data.Examples)
            throw new InvalidDataException($"the checkpoint was trained on {state.Data.Examples} questions of {state.Data.Path} ({state.Data.Split}, fingerprint {state.Data.Fingerprint}); "
                + $"the data given now has {data.Examples} questions (fingerprint {data.Fingerprint}): resume with the same --data, --split and --limit");
        if (state.QueryDim != model.QueryEmbedder.Dimension)
            throw new InvalidDataException($"the checkpoint was trained against {state.Model} (D = {state.QueryDim}); the model given now has D = {model.QueryEmbedder.Dimension}");
        if (state.Step > options.Steps)
            throw new ArgumentException($"the checkpoint is at step {state.Step}, past the run's {options.Steps} steps");
    }

    /// <summary>16 hex digits of SHA-256 over the question ids in order.</summary>
    public static string Fingerprint(IReadOnlyList<VqaExample> examples)
    {
        var text = string.Join(',', examples.Select(e => e.QuestionId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }
}
