using System.CommandLine;
using System.Globalization;
using ArrCoc.Cli.Hub;
using ArrCoc.Engine.Answering;
using ArrCoc.Qwen3VL.Generation;

namespace ArrCoc.Cli.Commands;

/// <summary>`arrcoc ask`: stream Qwen3-VL's answer to a question about an image.</summary>
public static class AskCommand
{
    public static Command Create()
    {
        var model = ModelOption.Create();
        var image = new Option<FileInfo>("--image") { Description = "Image file (PNG, JPEG, WebP, GIF, BMP).", Required = true };
        var question = new Option<string>("--question") { Description = "The question about the image.", Required = true };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "Most tokens to generate.", DefaultValueFactory = _ => 128 };
        var temperature = new Option<double>("--temperature") { Description = "0 = greedy; above 0 = sampling (top-p/top-k from generation_config.json unless given).", DefaultValueFactory = _ => 0.0 };
        var topP = new Option<double?>("--top-p") { Description = "Nucleus sampling mass (sampling only)." };
        var topK = new Option<int?>("--top-k") { Description = "Keep the k most likely tokens (sampling only)." };
        var repetitionPenalty = new Option<double?>("--repetition-penalty") { Description = "Repetition penalty (1 = off)." };
        var seed = new Option<long?>("--seed") { Description = "Sampling seed." };
        var allTokens = new Option<bool>("--all-tokens") { Description = "Unmodified model: every visual token (currently the only mode)." };
        var dump = new Option<FileInfo?>("--dump") { Description = "Write input_ids, position_ids, image_grid_thw, pixel_values_shape, first_step_logits, generated_ids and text as JSON." };

        var command = new Command("ask", "Answer a question about an image with Qwen3-VL, streaming the text.")
        {
            model, image, question, maxNewTokens, temperature, topP, topK, repetitionPenalty, seed, allTokens, dump,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = parse.InvocationConfiguration.Output;
            var errors = parse.InvocationConfiguration.Error;
            var settings = new AnswerSettings
            {
                MaxNewTokens = parse.GetValue(maxNewTokens),
                Temperature = parse.GetValue(temperature),
                TopP = parse.GetValue(topP),
                TopK = parse.GetValue(topK),
                RepetitionPenalty = parse.GetValue(repetitionPenalty),
                Seed = parse.GetValue(seed),
            };
            var resolved = await ModelOption.ResolveAsync(parse.GetValue(model)!, errors, cancellationToken).ConfigureAwait(false);
            using var answerer = BaselineAnswerer.Load(resolved.Folder);
            var options = answerer.Options(settings);
            using var prompt = answerer.Prepare(parse.GetValue(image)!.FullName, parse.GetValue(question)!);
            var trace = new GenerationTrace();
            await foreach (var piece in answerer.AnswerAsync(prompt, settings, trace, cancellationToken).ConfigureAwait(false))
            {
                await console.WriteAsync(piece).ConfigureAwait(false);
                await console.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            await console.WriteLineAsync().ConfigureAwait(false);
            var tokens = trace.GeneratedIds.Count;
            await errors.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"[{prompt.InputIds.shape[1]} prompt tokens, {tokens} generated ({trace.StopReason}), {(options.Greedy ? "greedy" : "sampled")}; prefill {trace.PrefillSeconds:0.00} s, decode {trace.DecodeSeconds:0.00} s]")).ConfigureAwait(false);
            if (parse.GetValue(dump) is { } dumpFile)
                await File.WriteAllBytesAsync(dumpFile.FullName, BaselineAnswerer.Dump(prompt, trace).ToJson(), cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
