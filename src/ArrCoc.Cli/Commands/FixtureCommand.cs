using System.CommandLine;
using ArrCoc.Qwen3VL.Fixture;
using ArrCoc.Qwen3VL.Safetensors;

namespace ArrCoc.Cli.Commands;

/// <summary>`arrcoc fixture`: write the tiny random-weight Qwen3-VL checkpoint (official layout) used as the test model.</summary>
public static class FixtureCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write the checkpoint into (created if needed).", Required = true };
        var tied = new Option<bool>("--tied") { Description = "Tie the output head to the embeddings (no lm_head.weight), like Qwen3-VL-2B/4B." };
        var sharded = new Option<bool>("--sharded") { Description = "Write two shards and model.safetensors.index.json." };
        var dtype = new Option<string>("--dtype") { Description = "Stored weight type: bf16 (as the official files) or f32.", DefaultValueFactory = _ => "bf16" };
        dtype.AcceptOnlyFromAmong("bf16", "f32");
        var seed = new Option<ulong>("--seed") { Description = "Weight seed (same seed, same bytes).", DefaultValueFactory = _ => 1234UL };
        var ropeParameters = new Option<bool>("--rope-parameters") { Description = "Write the transformers v5 rope_parameters spelling instead of rope_scaling." };

        var command = new Command("fixture", "Write a tiny random-weight Qwen3-VL checkpoint in the official layout (config, safetensors, tokenizer, processor and generation configs).")
        {
            output, tied, sharded, dtype, seed, ropeParameters,
        };
        command.SetAction(parse =>
        {
            var dir = parse.GetValue(output)!.FullName;
            var options = new FixtureOptions
            {
                Tied = parse.GetValue(tied),
                Sharded = parse.GetValue(sharded),
                Dtype = parse.GetValue(dtype) == "f32" ? SafetensorsDtype.F32 : SafetensorsDtype.BF16,
                Seed = parse.GetValue(seed),
                RopeParametersSpelling = parse.GetValue(ropeParameters),
            };
            var config = Qwen3VLFixture.Write(dir, options);
            var console = parse.InvocationConfiguration.Output;
            var t = config.TextConfig;
            var v = config.VisionConfig;
            console.WriteLine($"wrote fixture checkpoint to {dir}");
            console.WriteLine($"text   hidden {t.HiddenSize}, {t.NumHiddenLayers} layers, {t.NumAttentionHeads}/{t.NumKeyValueHeads} heads x {t.HeadDim}, vocab {t.VocabSize}, tied {config.TieWordEmbeddings.ToString().ToLowerInvariant()}");
            console.WriteLine($"vision hidden {v.HiddenSize}, depth {v.Depth}, patch {v.PatchSize}, merge {v.SpatialMergeSize}, deepstack [{string.Join(", ", v.DeepstackVisualIndexes)}]");
            console.WriteLine($"weights {(options.Sharded ? "2 shards + index" : "model.safetensors")}, {options.Dtype}");
            foreach (var f in Directory.GetFiles(dir).Order(StringComparer.Ordinal))
                console.WriteLine($"  {Path.GetFileName(f),-40} {new FileInfo(f).Length,10} bytes");
            return 0;
        });
        return command;
    }
}
