using System.Diagnostics;
using System.Text.Json;
using ArrCoc.Engine.Analysis;
using ArrCoc.Engine.Answering;
using ArrCoc.Engine.Images;
using ArrCoc.Engine.Integration;
using ArrCoc.Engine.Vqa;

namespace ArrCoc.Engine.Training;

/// <summary>
/// VQA validation of ARR-COC: every question answered twice from one prepared prompt (same image, same grid, same
/// question and suffix, one vision-encoder pass) — from the K cells ARR-COC keeps and from all visual tokens — and
/// both answers scored with the official VQA metric (<see cref="VqaAccuracy"/>). The retention ratio is ARR-COC's
/// accuracy over the all-tokens accuracy. Each question is appended to a JSONL file as soon as it is answered.
/// </summary>
public sealed class Validator
{
    static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    readonly ArrCocQwen model;
    readonly ValidationOptions options;
    readonly GridSpec grid;

    public Validator(ArrCocQwen model, ValidationOptions options)
    {
        options.Validate();
        this.model = model;
        this.options = options;
        grid = options.GridSpec();
    }

    /// <param name="recordsPath">The per-question JSONL file (overwritten).</param>
    /// <param name="onRecord">Called after each question with the record and how many are done.</param>
    public async Task<ValidationSummary> RunAsync(IReadOnlyList<VqaExample> examples, string recordsPath,
        Action<ValidationRecord, int>? onRecord = null, CancellationToken cancellationToken = default)
    {
        var selected = options.Limit is { } limit ? examples.Take(limit).ToList() : examples;
        if (selected.Count == 0) throw new ArgumentException("there are no questions to validate on");
        var clock = Stopwatch.StartNew();
        var records = new List<ValidationRecord>();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(recordsPath))!);
        await using (var writer = new StreamWriter(recordsPath, append: false))
        {
            foreach (var example in selected)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var record = await AnswerAsync(example, cancellationToken).ConfigureAwait(false);
                records.Add(record);
                await writer.WriteLineAsync(JsonSerializer.Serialize(record, Json)).ConfigureAwait(false);
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                onRecord?.Invoke(record, records.Count);
            }
        }
        return new ValidationSummary
        {
            Model = model.ModelId,
            Checkpoint = model.Analyzer.Checkpoint,
            K = options.K,
            Grid = options.Grid,
            Overall = ValidationScore.Of(records),
            ByAnswerType = records.GroupBy(r => r.AnswerType ?? "unknown").OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => ValidationScore.Of(g.ToList())),
            ElapsedSeconds = clock.Elapsed.TotalSeconds,
            RecordsPath = Path.GetFullPath(recordsPath),
        };
    }

    async Task<ValidationRecord> AnswerAsync(VqaExample example, CancellationToken cancellationToken)
    {
        using (var image = example.PrepareImage(model.Analyzer, grid))
        {
            int cells = image.Rows * image.Columns;
            var request = new AskRequest
            {
                Question = example.Question,
                PromptSuffix = options.PromptSuffix,
                K = Math.Min(options.K, cells),
                Settings = new AnswerSettings { MaxNewTokens = options.MaxNewTokens },
            };
            using var prompt = model.PreparePrompt(image, request.PromptText);
            var kept = await model.AskAsync(image, prompt, request, cancellationToken: cancellationToken).ConfigureAwait(false);
            var all = await model.AskAsync(image, prompt, request with { AllTokens = true }, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new ValidationRecord
            {
                QuestionId = example.QuestionId,
                Image = Path.GetFileName(example.ImagePath),
                Question = example.Question,
                AnswerType = example.AnswerType,
                Answers = example.Answers,
                ArrCoc = Score(kept.Text, example),
                AllTokens = Score(all.Text, example),
                Kept = kept.Kept!,
                Cells = cells,
            };
        }
    }

    static ValidationAnswer Score(string text, VqaExample example)
    {
        var answer = text.Trim();
        return new ValidationAnswer(answer, VqaAccuracy.Score(answer, example.Answers));
    }
}
