using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ArrCoc.Qwen3VL.Benchmarks;
using static TorchSharp.torch;

namespace ArrCoc.Cli.Commands;

/// <summary>
/// `arrcoc bench model --synthetic 2b`: Qwen3-VL-2B's real configuration with random weights (no download); one
/// 1024 × 1024 image and a 20-token question. Prints a table, then one JSON object as the last line.
/// </summary>
public static class BenchModelCommand
{
    public static Command Create()
    {
        var synthetic = new Option<string>("--synthetic") { Description = "Configuration with random weights: 2b (Qwen3-VL-2B, ~9 GB RAM) or tiny (the fixture).", Required = true };
        synthetic.AcceptOnlyFromAmong("2b", "tiny");
        var threads = new Option<int?>("--threads") { Description = "Torch intra-op threads (default: torch's)." };
        var decode = new Option<int>("--decode-tokens") { Description = "Greedy decoding steps timed after the prefill.", DefaultValueFactory = _ => 8 };
        var command = new Command("model", "Vision encoder, prefill and decode speed of Qwen3-VL with random weights, against a float32 matmul.") { synthetic, threads, decode };
        command.SetAction(parse =>
        {
            if (parse.GetValue(threads) is int t)
            {
                if (t < 1) throw new ArgumentOutOfRangeException(nameof(threads), t, "--threads must be at least 1");
                set_num_threads(t);
            }
            if (parse.GetValue(decode) < 1) throw new ArgumentOutOfRangeException(nameof(decode), "--decode-tokens must be at least 1");
            var console = parse.InvocationConfiguration.Output;
            var r = ModelBenchmark.Run(parse.GetValue(synthetic)!, decodeTokens: parse.GetValue(decode), log: line => console.WriteLine("  " + line));
            var inv = CultureInfo.InvariantCulture;
            console.WriteLine($"Qwen3-VL {r.Config} (random weights), 1024x1024 image ({r.Patches} patches), {r.PrefillTokens}-token prompt, {r.Threads} threads");
            console.WriteLine($"{"stage",-16} {"seconds",9} {"GFLOP",9} {"GFLOPS",8} {"of matmul",10}");
            console.WriteLine(string.Create(inv, $"{"matmul f32",-16} {"",9} {"",9} {r.MatmulGflops,8:0.0} {1,10:P0}"));
            console.WriteLine(string.Create(inv, $"{"vision encoder",-16} {r.VisionEncoderSeconds,9:0.000} {r.EncoderGflop,9:0.0} {r.EncoderGflops,8:0.0} {r.EncoderGflops / r.MatmulGflops,10:P0}"));
            console.WriteLine(string.Create(inv, $"{"prefill",-16} {r.PrefillSeconds,9:0.000} {r.PrefillGflop,9:0.0} {r.PrefillGflops,8:0.0} {r.PrefillGflops / r.MatmulGflops,10:P0}"));
            console.WriteLine(string.Create(inv, $"prefill {r.PrefillTokensPerSecond:0.0} tokens/s; decode {r.DecodeTokensPerSecond:0.00} tokens/s ({r.DecodeTokens} steps); peak RSS {r.PeakRssMb:0} MB; init {r.InitSeconds:0.0} s"));
            console.WriteLine(JsonSerializer.Serialize(new
            {
                bench = "model",
                matmul_gflops = Math.Round(r.MatmulGflops, 2),
                vision_encoder_s = Math.Round(r.VisionEncoderSeconds, 4),
                encoder_gflops = Math.Round(r.EncoderGflops, 2),
                prefill_tokens = r.PrefillTokens,
                prefill_s = Math.Round(r.PrefillSeconds, 4),
                prefill_gflops = Math.Round(r.PrefillGflops, 2),
                decode_tokens_per_s = Math.Round(r.DecodeTokensPerSecond, 3),
                peak_rss_mb = Math.Round(r.PeakRssMb, 1),
            }));
            return 0;
        });
        return command;
    }
}
