using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ArrCoc.Core;
using ArrCoc.Engine.Query;
using static TorchSharp.torch;

namespace ArrCoc.Cli.Commands;

/// <summary>
/// `arrcoc bench pipeline`: medians per stage of the ARR-COC pipeline on 1024 × 1024 images (decode excluded),
/// D = 2048 (Qwen3-VL-2B), K = 200. Prints a table, then one JSON object as the last line.
/// </summary>
public static class BenchPipelineCommand
{
    static readonly string[] Stages = ["texture", "knowing", "balancing", "attending", "total"];

    public static Command Create()
    {
        var images = new Option<int>("--images") { Description = "Timed runs (one random image each).", DefaultValueFactory = _ => 30 };
        var size = new Option<int>("--size") { Description = "Image side in pixels (multiple of 32).", DefaultValueFactory = _ => 1024 };
        var threads = new Option<int?>("--threads") { Description = "Torch intra-op threads (default: torch's)." };
        var command = new Command("pipeline", "Median time per stage of the ARR-COC pipeline (texture, knowing, balancing, attending, total).") { images, size, threads };
        command.SetAction(parse =>
        {
            int runs = parse.GetValue(images), side = parse.GetValue(size);
            if (runs < 1) throw new ArgumentOutOfRangeException(nameof(images), runs, "--images must be at least 1");
            if (parse.GetValue(threads) is int t) set_num_threads(t);
            var console = parse.InvocationConfiguration.Output;

            var pipeline = new RelevancePipeline(new ArrCocModel(FallbackQueryEmbedder.DefaultDimension, seed: 0));
            pipeline.Model.eval();
            using var query = tensor(new FallbackQueryEmbedder().Embed("What colour is the car on the left?"));
            using var generator = new Generator(7);
            var samples = Stages.ToDictionary(s => s, _ => new List<double>());
            for (int i = -3; i < runs; i++) // three warm-up runs
            {
                using var image = rand(new long[] { 1, 3, side, side }, generator: generator);
                var result = pipeline.Run(image, query, k: Math.Min(200, side / 32 * (side / 32)));
                if (i < 0) continue;
                foreach (var stage in Stages) samples[stage].Add(result.TimingsMs[stage]);
            }

            var medians = Stages.ToDictionary(s => s, s => Median(samples[s]));
            console.WriteLine($"ARR-COC pipeline, {side}x{side} image, D = {FallbackQueryEmbedder.DefaultDimension}, {runs} runs, {get_num_threads()} threads");
            console.WriteLine($"{"stage",-10} {"median ms",10} {"min ms",10} {"max ms",10} {"share",7}");
            foreach (var stage in Stages)
                console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{stage,-10} {medians[stage],10:0.00} {samples[stage].Min(),10:0.00} {samples[stage].Max(),10:0.00} {medians[stage] / medians["total"],7:P0}"));
            var json = JsonSerializer.Serialize(new { bench = "pipeline", median_ms = medians.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 3)) });
            console.WriteLine(json);
            return 0;
        });
        return command;
    }

    static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
