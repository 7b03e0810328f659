using System.CommandLine;
using System.Globalization;
using ArrCoc.Cli.Hub;
using ArrCoc.Engine;
using ArrCoc.Engine.Checkpoints;
using ArrCoc.Engine.Images;
using ArrCoc.Engine.Integration;
using ArrCoc.Engine.Training;
using ArrCoc.Engine.Vqa;
using ArrCoc.Hub;
using static System.FormattableString;

namespace ArrCoc.Cli.Commands;

/// <summary>
/// `arrcoc train`: learn ARR-COC's participatory scorer and balancer against a frozen Qwen3-VL on VQA data
/// (<see cref="Trainer"/>). Progress on stderr, the summary on stdout; Ctrl-C saves a checkpoint and exits 130;
/// --resume continues a run exactly; --push-to uploads every checkpoint to a private Hub model repository.
/// </summary>
public static class TrainCommand
{
    /// <param name="hubEnvironment">Hub options source for --push-to (tests pass their fake Hub's).</param>
    public static Command Create(Func<HubOptions>? hubEnvironment = null)
    {
        hubEnvironment ??= () => HubCliOptions.ForWrites(Environment.GetEnvironmentVariable);
        var defaults = new TrainingOptions();
        var model = ModelOption.Create();
        var data = new Option<string?>("--data") { Description = "VQAv2 folder (official layout) or .jsonl file of {image, question, answers}; on --resume, the checkpoint's." };
        var split = new Option<string>("--split") { Description = "VQAv2 split.", DefaultValueFactory = _ => defaults.Split };
        var limit = new Option<int?>("--limit") { Description = "Train on the first N questions only." };
        var k = new Option<int>("--k") { Description = "Cells ARR-COC keeps.", DefaultValueFactory = _ => defaults.K };
        var grid = new Option<string>("--grid") { Description = "Grid of every image: 32 (32x32 cells), ROWSxCOLUMNS, or auto.", DefaultValueFactory = _ => defaults.Grid };
        var maxCells = new Option<int>("--max-cells") { Description = "Cell budget of --grid auto.", DefaultValueFactory = _ => defaults.MaxCells };
        var steps = new Option<int>("--steps") { Description = "Optimizer steps.", DefaultValueFactory = _ => defaults.Steps };
        var batch = new Option<int>("--batch") { Description = "Examples per optimizer step (gradient accumulation, one image at a time).", DefaultValueFactory = _ => defaults.Batch };
        var lr = new Option<double>("--lr") { Description = "Peak learning rate (AdamW).", DefaultValueFactory = _ => defaults.LearningRate };
        var warmup = new Option<int?>("--warmup") { Description = "Warm-up steps (default 5 % of --steps)." };
        var minLr = new Option<double>("--min-lr-ratio") { Description = "The cosine ends at this fraction of --lr.", DefaultValueFactory = _ => defaults.MinLearningRateRatio };
        var weightDecay = new Option<double>("--weight-decay") { Description = "AdamW weight decay.", DefaultValueFactory = _ => defaults.WeightDecay };
        var clip = new Option<double>("--clip") { Description = "Largest global gradient norm (0 = no clipping).", DefaultValueFactory = _ => defaults.MaxGradNorm };
        var seed = new Option<long>("--seed") { Description = "Seed of the initial weights and of the data order.", DefaultValueFactory = _ => defaults.Seed };
        var every = new Option<int>("--checkpoint-every") { Description = "Save a checkpoint every N steps (and at the end; 0 = only at the end).", DefaultValueFactory = _ => defaults.CheckpointEvery };
        var suffix = new Option<string>("--prompt-suffix") { Description = "Instruction after each question (\"\" for none); validate uses the same.", DefaultValueFactory = _ => defaults.PromptSuffix ?? "" };
        var init = new Option<string?>("--init-checkpoint") { Description = "Start from these ARR-COC weights (.safetensors, .pt, a checkpoint or run folder)." };
        var output = new Option<string?>("--out") { Description = "Run folder: checkpoints/, train_log.jsonl, train_log.csv (default out/train; on --resume, the checkpoint's run)." };
        var resume = new Option<string?>("--resume") { Description = "Continue exactly from a checkpoint folder (or a run folder's latest checkpoint)." };
        var pushTo = new Option<string?>("--push-to") { Description = "Upload each checkpoint to this Hub model repository, OWNER/NAME (created private), under checkpoints/<name>/." };
        var tokenEnv = HubCliOptions.TokenEnv();
        Option[] config = [split, limit, k, grid, maxCells, steps, batch, lr, warmup, minLr, weightDecay, clip, seed, every, suffix, init];

        var device = new DeviceCliOptions();
        var command = new GracefulCommand("train", "Train ARR-COC's participatory scorer and balancer on VQA against a frozen Qwen3-VL.", TimeSpan.FromMinutes(30))
        {
            model, data, split, limit, k, grid, maxCells, steps, batch, lr, warmup, minLr, weightDecay, clip, seed, every, suffix, init, output, resume, pushTo, tokenEnv,
        };
        device.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var console = parse.InvocationConfiguration.Output;
            var errors = parse.InvocationConfiguration.Error;
            bool Given(Option option) => parse.GetResult(option) is { Implicit: false };

            var resumeFrom = parse.GetValue(resume) is { } resumePath ? TrainingCheckpoint.Open(resumePath) : null;
            TrainingOptions options;
            string dataPath, modelReference, runDirectory;
            if (resumeFrom is null)
            {
                options = new TrainingOptions
                {
                    Split = parse.GetValue(split)!, Limit = parse.GetValue(limit), K = parse.GetValue(k), Grid = parse.GetValue(grid)!,
                    MaxCells = parse.GetValue(maxCells), Steps = parse.GetValue(steps), Batch = parse.GetValue(batch), LearningRate = parse.GetValue(lr),
                    WarmupSteps = parse.GetValue(warmup), MinLearningRateRatio = parse.GetValue(minLr), WeightDecay = parse.GetValue(weightDecay),
                    MaxGradNorm = parse.GetValue(clip), Seed = parse.GetValue(seed), CheckpointEvery = parse.GetValue(every),
                    PromptSuffix = string.IsNullOrWhiteSpace(parse.GetValue(suffix)) ? null : parse.GetValue(suffix),
                    InitCheckpoint = parse.GetValue(init) is { } initPath ? CheckpointCatalog.ResolveWeights(initPath) : null,
                };
                dataPath = parse.GetValue(data) ?? throw new ArgumentException("--data is required: a VQAv2 folder or a .jsonl file (make one with `arrcoc make-vqa`)");
                modelReference = FullPathIfLocal(parse.GetValue(model)!);
                runDirectory = Path.GetFullPath(parse.GetValue(output) ?? Path.Combine("out", "train"));
            }
            else
            {
                var state = resumeFrom.State;
                options = state.Config;
                var ignored = config.Where(Given).Select(o => o.Name).ToList();
                if (ignored.Count > 0)
                    await errors.WriteLineAsync($"note: {string.Join(", ", ignored)} ignored: a resumed run continues with its checkpoint's configuration").ConfigureAwait(false);
                dataPath = Given(data) ? parse.GetValue(data)! : state.Data.Path;
                modelReference = Given(model) ? FullPathIfLocal(parse.GetValue(model)!) : state.Model;
                runDirectory = Given(output) ? Path.GetFullPath(parse.GetValue(output)!) : RunOf(resumeFrom);
            }
            options.Validate();

            HubCheckpoints? hub = null;
            var pushRepository = parse.GetValue(pushTo);
            if (pushRepository is not null)
            {
                RepoId.Parse(pushRepository);
                hub = new HubCheckpoints(HubCliOptions.Apply(hubEnvironment(), cache: null, parse.GetValue(tokenEnv)));
                await hub.EnsurePrivateAsync(pushRepository, ct).ConfigureAwait(false);
                await errors.WriteLineAsync($"verified: Hub model repository {pushRepository} is private; each checkpoint goes to checkpoints/<name>/").ConfigureAwait(false);
            }

            var examples = VqaDataset.Load(dataPath, options.Split);
            if (options.Limit is { } n) examples = examples.Take(n).ToList();
            using var integrated = await device.LoadAsync(parse, modelReference,
                new ArrCocOptions { Grid = options.Grid, MaxCells = options.MaxCells, Seed = options.Seed }, ImageLimitsEnvironment.Read(), ct).ConfigureAwait(false);
            var trainer = new Trainer(integrated, examples, options, Path.GetFullPath(dataPath), runDirectory);
            long parameters = integrated.Analyzer.Pipeline.Model.parameters().Sum(p => p.numel());
            await errors.WriteLineAsync(
                Invariant($"training ARR-COC ({parameters:N0} parameters) against {modelReference} (frozen): {examples.Count} questions, {options.Steps} steps of {options.Batch}, ")
                + Invariant($"K = {options.K}, grid {options.Grid}, lr {options.LearningRate:G3} (warm-up {options.Warmup}, cosine to {options.MinLearningRateRatio:G3}×), clip {options.MaxGradNorm:G3}, seed {options.Seed}")
                + (resumeFrom is null ? "" : Invariant($"; resuming at step {resumeFrom.State.Step}")) + $"; run folder {runDirectory}").ConfigureAwait(false);

            TrainingResult result;
            try
            {
                result = await ProgressView.RunAsync(errors, "train", options.Steps, resumeFrom?.State.Step ?? 0, async progress =>
                {
                    // Held for the whole run (an interrupt can come at any step).
                    using var notice = ct.Register(() => progress.Note("interrupt: finishing the current example, then saving a checkpoint"));
                    return await Task.Run(() => trainer.Run(resumeFrom,
                        step => progress.Report(step.Step, Live(step), Line(step)),
                        saved => OnCheckpoint(saved, progress, hub, pushRepository, ct), ct)).ConfigureAwait(false);
                }).ConfigureAwait(false);
            }
            catch (TrainingInterruptedException e)
            {
                await errors.WriteLineAsync($"interrupted at step {e.Checkpoint.State.Step}: checkpoint saved to {e.Checkpoint.Directory}; continue with `arrcoc train --resume {e.Checkpoint.Directory}`").ConfigureAwait(false);
                throw;
            }
            await console.WriteLineAsync(Summary(result, runDirectory)).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    /// <summary>A local model folder as a full path (state.json must resume from anywhere); a Hub id as given.</summary>
    static string FullPathIfLocal(string model) => Directory.Exists(model) ? Path.GetFullPath(model) : model;

    /// <summary>The run folder a checkpoint belongs to (RUN/checkpoints/step-N → RUN).</summary>
    static string RunOf(TrainingCheckpoint checkpoint)
    {
        var parent = Path.GetDirectoryName(checkpoint.Directory)!;
        return Path.GetFileName(parent) == TrainingCheckpoint.CheckpointsFolder ? Path.GetDirectoryName(parent)! : parent;
    }

    static void OnCheckpoint(TrainingCheckpoint saved, IProgressReporter progress, HubCheckpoints? hub, string? repository, CancellationToken ct)
    {
        progress.Note($"saved {(saved.State.Interrupted ? "interrupted " : "")}checkpoint {saved.Directory}");
        if (hub is null) return;
        // Uploads run on the training thread between steps; after Ctrl-C the interrupted checkpoint is still pushed.
        var upload = hub.PushAsync(repository!, saved.Directory, ct.IsCancellationRequested ? CancellationToken.None : ct).GetAwaiter().GetResult();
        progress.Note(upload.Commit is null ? $"{repository} already has checkpoints/{saved.Name}"
            : $"pushed checkpoints/{saved.Name} to {repository} (commit {upload.Commit[..Math.Min(8, upload.Commit.Length)]})");
    }

    static string Live(TrainingStep s) => string.Create(CultureInfo.InvariantCulture,
        $"step {s.Step}/{s.TotalSteps} · loss {s.Loss:0.0000} · lr {s.LearningRate:0.00e+00} · {s.ExamplesPerSecond:0.00} ex/s");

    static string Line(TrainingStep s) => string.Create(CultureInfo.InvariantCulture,
        $"step {s.Step}/{s.TotalSteps}  loss {s.Loss:0.0000}  lr {s.LearningRate:0.00e+00}  grad {s.GradNorm:0.0000}  epoch {s.Epoch}  {s.ExamplesPerSecond:0.00} ex/s  ETA {TimeSpan.FromSeconds(Math.Round(s.EtaSeconds)):c}");

    static string Summary(TrainingResult result, string runDirectory)
    {
        var losses = result.Steps.Select(s => s.Loss).ToList();
        int window = Math.Min(10, losses.Count);
        var trend = losses.Count == 0 ? "no steps this session"
            : Invariant($"loss {losses.Take(window).Average():0.0000} (first {window} steps) → {losses.TakeLast(window).Average():0.0000} (last {window})");
        return Invariant($"trained {result.StepsThisSession} steps in {result.ElapsedSeconds:0.0} s ({result.ExamplesPerSecond:0.00} examples/s); {trend}\n")
            + $"final checkpoint: {result.Final.Directory}\nlogs: {Path.Combine(runDirectory, TrainingLog.JsonlFile)}, {Path.Combine(runDirectory, TrainingLog.CsvFile)}";
    }

}
