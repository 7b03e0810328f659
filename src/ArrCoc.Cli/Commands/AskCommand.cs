using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ArrCoc.Cli.Hub;
using ArrCoc.Engine.Analysis;
using ArrCoc.Engine.Answering;
using ArrCoc.Engine.Images;
using ArrCoc.Engine.Integration;

namespace ArrCoc.Cli.Commands;

/// <summary>
/// `arrcoc ask`: stream Qwen3-VL's answer to a question about an image from the K visual tokens ARR-COC keeps
/// (default), from an explicit list of cells (--keep-indices), or from all of them (--all-tokens, the baseline).
/// </summary>
public static class AskCommand
{
    public static Command Create()
    {
        var model = ModelOption.Create();
        var image = new Option<FileInfo>("--image") { Description = "Image file (PNG, JPEG, WebP, GIF, BMP).", Required = true };
        var question = new Option<string>("--question") { Description = "The question about the image.", Required = true };
        var allTokens = new Option<bool>("--all-tokens") { Description = "The unmodified model: every visual token (the baseline); without --grid, sized by the official processor (smart_resize)." };
        var keepIndices = new Option<FileInfo?>("--keep-indices") { Description = "JSON list of cell indices to keep (run exactly that selection)." };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "Most tokens to generate.", DefaultValueFactory = _ => 128 };
        var temperature = new Option<double>("--temperature") { Description = "0 = greedy; above 0 = sampling (top-p/top-k from generation_config.json unless given).", DefaultValueFactory = _ => 0.0 };
        var topP = new Option<double?>("--top-p") { Description = "Nucleus sampling mass (sampling only)." };
        var topK = new Option<int?>("--top-k") { Description = "Keep the k most likely tokens (sampling only)." };
        var repetitionPenalty = new Option<double?>("--repetition-penalty") { Description = "Repetition penalty (1 = off)." };
        var seed = new Option<long?>("--seed") { Description = "Sampling seed." };
        var dump = new Option<FileInfo?>("--dump") { Description = "Write input_ids, position_ids, image_grid_thw, pixel_values_shape, first_step_logits, generated_ids, text, kept and the analysis as JSON." };
        var arrcoc = new ArrCocCliOptions();
        var device = new DeviceCliOptions();

        var command = new Command("ask", "Answer a question about an image with Qwen3-VL from the visual tokens ARR-COC keeps, streaming the text.")
        {
            model, image, question, allTokens, keepIndices, maxNewTokens, temperature, topP, topK, repetitionPenalty, seed, dump,
        };
        arrcoc.AddTo(command);
        device.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = parse.InvocationConfiguration.Output;
            var errors = parse.InvocationConfiguration.Error;
            var all = parse.GetValue(allTokens);
            var keepFile = parse.GetValue(keepIndices);
            if (all && keepFile is not null) throw new ArgumentException("--all-tokens and --keep-indices contradict each other; give one");
            if (all && arrcoc.SelectionFlagsGiven(parse) is { Count: > 0 } unused)
                throw new ArgumentException($"--all-tokens gives the model every visual token, so {string.Join(", ", unused)} would have no effect; drop them (or --all-tokens)");
            if (keepFile is not null && parse.GetResult(arrcoc.K) is { Implicit: false })
                throw new ArgumentException("--k and --keep-indices contradict each other: the file's cells are the ones kept; give one");
            var request = new AskRequest
            {
                Question = parse.GetValue(question)!,
                K = parse.GetValue(arrcoc.K),
                AllTokens = all,
                KeepIndices = keepFile is null ? null : ReadKeepIndices(keepFile),
                Ablation = arrcoc.Ablation(parse),
                Settings = new AnswerSettings
                {
                    MaxNewTokens = parse.GetValue(maxNewTokens),
                    Temperature = parse.GetValue(temperature),
                    TopP = parse.GetValue(topP),
                    TopK = parse.GetValue(topK),
                    RepetitionPenalty = parse.GetValue(repetitionPenalty),
                    Seed = parse.GetValue(seed),
                },
            };
            var limits = ImageLimitsEnvironment.Read();
            var input = ImageInput.FromFile(parse.GetValue(image)!.FullName, limits);
            var modelReference = parse.GetValue(model)!;
            using var integrated = await device.LoadAsync(parse, modelReference, arrcoc.Options(parse), limits, cancellationToken).ConfigureAwait(false);
            void Print(string piece)
            {
                console.Write(piece);
                console.Flush();
            }

            AskResult result;
            if (all && !arrcoc.GridGiven(parse))
            {
                // The baseline exactly as the official processor feeds the model (smart_resize, its own resize).
                using var decoded = integrated.Analyzer.Loader.Load(input.Bytes, input.Name);
                result = await integrated.AskOfficialAsync(decoded, request.Question, request.Settings, Print, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                using var prepared = integrated.Analyzer.Prepare(input, arrcoc.GridSpec(parse));
                result = await integrated.AskAsync(prepared, request, Print, cancellationToken).ConfigureAwait(false);
            }
            await console.WriteLineAsync().ConfigureAwait(false);
            await errors.WriteLineAsync(Summary(result, request.Settings.Temperature == 0)).ConfigureAwait(false);
            if (parse.GetValue(dump) is { } dumpFile)
                await File.WriteAllBytesAsync(dumpFile.FullName, AskDump.Serialize(result), cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    /// <summary>A JSON list of cell indices (validated against the grid by the integration).</summary>
    static int[] ReadKeepIndices(FileInfo file)
    {
        if (!file.Exists) throw new FileNotFoundException($"--keep-indices: {file.FullName} not found", file.FullName);
        try
        {
            return JsonSerializer.Deserialize<int[]>(File.ReadAllText(file.FullName))
                ?? throw new InvalidDataException($"--keep-indices: {file.Name} holds null, not a list of cell indices");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"--keep-indices: {file.Name} is not a JSON list of integers ({e.Message})", e);
        }
    }

    static string Summary(AskResult result, bool greedy)
    {
        var t = result.TimingsMs;
        var tokens = result.Kept is null
            ? $"all {result.Prompt.ImageTokens} image tokens, {result.PromptTokensUsed} prompt tokens"
            : $"{result.Kept.Length} of {result.Analysis!.Relevance.Cells} image tokens kept, {result.PromptTokensUsed} of {result.FullPromptTokens} prompt tokens";
        return string.Create(CultureInfo.InvariantCulture,
            $"[{tokens}; {result.GeneratedTokens} generated ({result.Trace.StopReason}), {(greedy ? "greedy" : "sampled")}; "
            + $"vision encoder {t["vision_encoder"] / 1000:0.00} s, prefill {t["prefill"] / 1000:0.00} s, first token {t["first_token"] / 1000:0.00} s, total {t["total"] / 1000:0.00} s]");
    }
}
