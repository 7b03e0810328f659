using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ArrCoc.Engine.Integration;
using static TorchSharp.torch;

namespace ArrCoc.Cli.Commands;

/// <summary>
/// `arrcoc bench ask --synthetic 2b`: K = 200 vs all tokens on the same image and question, in one run. Prints a
/// table with the ratios, then one JSON object as the last line.
/// </summary>
public static class BenchAskCommand
{
    public static Command Create()
    {
        var synthetic = new Option<string>("--synthetic") { Description = "Model configuration with random weights: 2b (Qwen3-VL-2B) or tiny.", DefaultValueFactory = _ => "2b" };
        var k = new Option<int>("--k") { Description = "Cells ARR-COC keeps.", DefaultValueFactory = _ => 200 };
        var newTokens = new Option<int>("--new-tokens") { Description = "Tokens generated in each end-to-end run.", DefaultValueFactory = _ => 32 };
        var grid = new Option<int>("--grid") { Description = "Grid side in cells (32 = 1024 x 1024 px, 1024 tokens).", DefaultValueFactory = _ => 32 };
        var threads = new Option<int?>("--threads") { Description = "Torch intra-op threads (default: torch's)." };
        var command = new Command("ask", "ARR-COC (K kept tokens) vs the unmodified model (all tokens): scoring, vision encoder, prefill, time to first token, end to end.")
        {
            synthetic, k, newTokens, grid, threads,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(threads) is int t) set_num_threads(t);
            var console = parse.InvocationConfiguration.Output;
            var errors = parse.InvocationConfiguration.Error;
            var r = AskBenchmark.Run(parse.GetValue(synthetic)!, parse.GetValue(k), parse.GetValue(newTokens), parse.GetValue(grid), line => errors.WriteLine(line));

            string Row(string stage, double ms, double allMs) => string.Create(CultureInfo.InvariantCulture, $"{stage,-22} {ms,12:0} {allMs,12:0} {allMs / ms,8:0.00}x");
            console.WriteLine($"ARR-COC vs all tokens: {r.Model} random weights, {r.N} image tokens, K = {r.K}, {r.NewTokens} new tokens, {get_num_threads()} threads");
            console.WriteLine($"{"stage",-22} {"K ms",12} {"all ms",12} {"speed-up",9}");
            console.WriteLine(Row("prefill", r.PrefillMsK, r.PrefillMsAll));
            console.WriteLine(Row("time to first token", r.TtftMsK, r.TtftMsAll));
            console.WriteLine(Row("end to end", r.E2eMsK, r.E2eMsAll));
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"prompt tokens {r.PromptTokensK} vs {r.PromptTokensAll}; ARR-COC scoring {r.ScoringMs:0.0} ms ({string.Join(", ", r.ScoringStagesMs.Select(s => $"{s.Key} {s.Value:0.0}"))}) = {r.ScoringShareOfEncoder:P2} of the vision encoder ({r.VisionEncoderMs:0} ms); peak RSS {r.PeakRssMb:0} MB"));
            console.WriteLine(JsonSerializer.Serialize(new
            {
                bench = "ask",
                k = r.K,
                n = r.N,
                scoring_ms = Math.Round(r.ScoringMs, 2),
                vision_encoder_ms = Math.Round(r.VisionEncoderMs, 1),
                prefill_ms_k = Math.Round(r.PrefillMsK, 1),
                prefill_ms_all = Math.Round(r.PrefillMsAll, 1),
                ttft_ms_k = Math.Round(r.TtftMsK, 1),
                ttft_ms_all = Math.Round(r.TtftMsAll, 1),
                e2e_ms_k = Math.Round(r.E2eMsK, 1),
                e2e_ms_all = Math.Round(r.E2eMsAll, 1),
            }));
            return 0;
        });
        return command;
    }
}
