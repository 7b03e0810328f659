using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ArrCoc.Cli.Hub;
using ArrCoc.Engine;
using ArrCoc.Engine.Images;
using ArrCoc.Engine.Integration;
using ArrCoc.Engine.Training;
using ArrCoc.Engine.Vqa;
using static System.FormattableString;

namespace ArrCoc.Cli.Commands;

/// <summary>
/// `arrcoc validate`: VQA accuracy (official metric) of ARR-COC at K and of all tokens on the same questions and
/// grid, the retention ratio, and a per-question JSONL of both answers (<see cref="Validator"/>).
/// </summary>
public static class ValidateCommand
{
    public static Command Create()
    {
        var defaults = new ValidationOptions();
        var model = ModelOption.Create();
        var data = new Option<string>("--data") { Description = "VQAv2 folder (official layout) or .jsonl file of {image, question, answers}.", Required = true };
        var split = new Option<string>("--split") { Description = "VQAv2 split.", DefaultValueFactory = _ => "val2014" };
        var limit = new Option<int?>("--limit") { Description = "Validate on the first N questions only." };
        var k = new Option<int>("--k") { Description = "Cells ARR-COC keeps.", DefaultValueFactory = _ => defaults.K };
        var grid = new Option<string>("--grid") { Description = "Grid of every image (both ways): 32 (32x32 cells), ROWSxCOLUMNS, or auto.", DefaultValueFactory = _ => defaults.Grid };
        var maxCells = new Option<int>("--max-cells") { Description = "Cell budget of --grid auto.", DefaultValueFactory = _ => defaults.MaxCells };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "ARR-COC weights: .safetensors, .pt/.pth/.bin, a checkpoint folder or a training run folder (its latest); default untrained." };
        var initSeed = new Option<long>("--init-seed") { Description = "Seed of the untrained ARR-COC weights (without --checkpoint).", DefaultValueFactory = _ => 0 };
        var suffix = new Option<string>("--prompt-suffix") { Description = "Instruction after each question (\"\" for none); training's default.", DefaultValueFactory = _ => defaults.PromptSuffix ?? "" };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "Most tokens per answer.", DefaultValueFactory = _ => defaults.MaxNewTokens };
        var output = new Option<string?>("--out") { Description = "Per-question JSONL (default out/validate/SPLIT-kK.jsonl)." };
        var device = new DeviceCliOptions();
        var command = new Command("validate", "VQA accuracy of ARR-COC at K and of all tokens on the same questions and grid, the retention ratio, and both answers per question.")
        {
            model, data, split, limit, k, grid, maxCells, checkpoint, initSeed, suffix, maxNewTokens, output,
        };
        device.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var console = parse.InvocationConfiguration.Output;
            var errors = parse.InvocationConfiguration.Error;
            var options = new ValidationOptions
            {
                K = parse.GetValue(k), Grid = parse.GetValue(grid)!, MaxCells = parse.GetValue(maxCells), Limit = parse.GetValue(limit),
                PromptSuffix = string.IsNullOrWhiteSpace(parse.GetValue(suffix)) ? null : parse.GetValue(suffix), MaxNewTokens = parse.GetValue(maxNewTokens),
            };
            options.Validate();
            var splitName = parse.GetValue(split)!;
            var records = Path.GetFullPath(parse.GetValue(output) ?? Path.Combine("out", "validate", $"{splitName}-k{options.K}.jsonl"));
            var examples = VqaDataset.Load(parse.GetValue(data)!, splitName);
            int total = Math.Min(examples.Count, options.Limit ?? int.MaxValue);
            var modelReference = parse.GetValue(model)!;
            using var integrated = await device.LoadAsync(parse, modelReference,
                new ArrCocOptions { Grid = options.Grid, MaxCells = options.MaxCells, Checkpoint = parse.GetValue(checkpoint), Seed = parse.GetValue(initSeed) },
                ImageLimitsEnvironment.Read(), ct).ConfigureAwait(false);
            await errors.WriteLineAsync($"validating {total} questions of {splitName} with {modelReference}, ARR-COC {integrated.Analyzer.Checkpoint}, K = {options.K}, grid {options.Grid}").ConfigureAwait(false);

            var validator = new Validator(integrated, options);
            double arrcocSum = 0, allSum = 0;
            var summary = await ProgressView.RunAsync(errors, "validate", total, 0, progress =>
                validator.RunAsync(examples, records, (r, done) =>
                {
                    arrcocSum += r.ArrCoc.Accuracy;
                    allSum += r.AllTokens.Accuracy;
                    var live = Invariant($"{done}/{total} · ARR-COC {100 * arrcocSum / done:0.0} % · all tokens {100 * allSum / done:0.0} %");
                    var line = Invariant($"[{done}/{total}] {r.QuestionId} {r.Question} | ARR-COC: {Printable(r.ArrCoc.Answer)} ({r.ArrCoc.Accuracy:0.00}) | all tokens: {Printable(r.AllTokens.Answer)} ({r.AllTokens.Accuracy:0.00})");
                    progress.Report(done, live, line);
                }, ct)).ConfigureAwait(false);
            await console.WriteAsync(Report(summary)).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    static string Report(ValidationSummary summary)
    {
        var text = new StringBuilder();
        var cells = summary.Grid;
        text.AppendLine(Invariant($"validated {summary.Overall.Questions} questions in {summary.ElapsedSeconds:0.0} s: K = {summary.K}, grid {cells}, ARR-COC {summary.Checkpoint}"));
        text.AppendLine("| answer type | questions | ARR-COC | all tokens | retention |");
        text.AppendLine("|---|---|---|---|---|");
        foreach (var (type, score) in summary.ByAnswerType.Prepend(new KeyValuePair<string, ValidationScore>("all", summary.Overall)))
            text.AppendLine(Invariant($"| {type} | {score.Questions} | {100 * score.ArrCocAccuracy:0.00} % | {100 * score.AllTokensAccuracy:0.00} % | {(score.Retention is { } r ? (100 * r).ToString("0.0", CultureInfo.InvariantCulture) + " %" : "n/a")} |"));
        text.AppendLine($"per-question answers: {summary.RecordsPath}");
        text.AppendLine(JsonSerializer.Serialize(new
        {
            validate = new
            {
                questions = summary.Overall.Questions,
                k = summary.K,
                grid = summary.Grid,
                checkpoint = summary.Checkpoint,
                arrcoc_accuracy = summary.Overall.ArrCocAccuracy,
                all_tokens_accuracy = summary.Overall.AllTokensAccuracy,
                retention = summary.Overall.Retention,
            },
        }));
        return text.ToString();
    }

    /// <summary>One line for the terminal: control characters (a random-weight model's output) as '·'.</summary>
    static string Printable(string text) => string.Concat(text.Select(c => char.IsControl(c) || c == '\uFFFD' ? '·' : c));

}
