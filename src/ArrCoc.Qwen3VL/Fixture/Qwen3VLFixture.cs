using System.Text.Json.Nodes;
using ArrCoc.Qwen3VL.Config;
using ArrCoc.Qwen3VL.Safetensors;
using static TorchSharp.torch;

namespace ArrCoc.Qwen3VL.Fixture;

/// <summary>Options of <see cref="Qwen3VLFixture.Write"/>.</summary>
public sealed record FixtureOptions
{
    /// <summary>Tie the output head to embed_tokens (no lm_head.weight in the files), like 2B/4B.</summary>
    public bool Tied { get; init; }
    /// <summary>Two shards plus model.safetensors.index.json instead of one model.safetensors.</summary>
    public bool Sharded { get; init; }
    /// <summary>Stored dtype: BF16 (as the official checkpoints) or F32.</summary>
    public SafetensorsDtype Dtype { get; init; } = SafetensorsDtype.BF16;
    /// <summary>Weight seed; the same seed writes byte-identical files.</summary>
    public ulong Seed { get; init; } = 1234;
    /// <summary>Write the v5 "rope_parameters" spelling instead of rope_theta + rope_scaling.</summary>
    public bool RopeParametersSpelling { get; init; }
}

/// <summary>
/// The project's test model: a tiny random-weight Qwen3-VL checkpoint in the official layout and schema (config.json,
/// safetensors with the official key names, tokenizer files, preprocessor and generation configs). Sizes: text hidden
/// 32, 2 layers, 4 heads / 2 KV heads, head_dim 16 (mrope_section [4, 2, 2]); vision depth 3, hidden 32, 4 heads,
/// patch 16, merge 2, 8×8 learned positions (interpolated for any image, e.g. 1024×1024), DeepStack after blocks 0, 1.
/// Weights come from a seeded generator of this file (not libtorch), so files are identical across machines.
/// </summary>
public static class Qwen3VLFixture
{
    public static Qwen3VLConfig Config(int vocabSize, int firstAddedId, bool tied) => new()
    {
        TextConfig = new Qwen3VLTextConfig
        {
            VocabSize = vocabSize, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 2,
            NumAttentionHeads = 4, NumKeyValueHeads = 2, HeadDim = 16, RmsNormEps = 1e-6, RopeTheta = 5_000_000,
            MropeSection = [4, 2, 2], MaxPositionEmbeddings = 262144, Dtype = "bfloat16",
            BosTokenId = firstAddedId, EosTokenId = firstAddedId + 2,
        },
        VisionConfig = new Qwen3VLVisionConfig
        {
            Depth = 3, HiddenSize = 32, IntermediateSize = 64, NumHeads = 4, PatchSize = 16, SpatialMergeSize = 2,
            TemporalPatchSize = 2, OutHiddenSize = 32, NumPositionEmbeddings = 64, DeepstackVisualIndexes = [0, 1],
        },
        // Offsets of <|vision_start|>, <|vision_end|>, <|image_pad|>, <|video_pad|> among Qwen's added tokens.
        VisionStartTokenId = firstAddedId + 9, VisionEndTokenId = firstAddedId + 10,
        ImageTokenId = firstAddedId + 12, VideoTokenId = firstAddedId + 13,
        TieWordEmbeddings = tied,
    };

    /// <summary>The fixture's config as <see cref="Write"/> produces it.</summary>
    public static Qwen3VLConfig DefaultConfig(bool tied)
    {
        var firstAdded = TinyTokenizerFiles.RegularTokenCount();
        return Config(VocabRows(firstAdded + TinyTokenizerFiles.QwenAddedTokens.Length), firstAdded, tied);
    }

    /// <summary>Like the official 151936 > 151669: a few embedding rows past the tokenizer's last id.</summary>
    static int VocabRows(int tokenizerSize) => (tokenizerSize + 63) / 64 * 64;

    /// <summary>Writes the fixture into <paramref name="dir"/> (created if needed) and returns its config.</summary>
    public static Qwen3VLConfig Write(string dir, FixtureOptions options)
    {
        if (options.Dtype is not (SafetensorsDtype.BF16 or SafetensorsDtype.F32))
            throw new ArgumentException($"fixture dtype must be BF16 or F32, got {options.Dtype}.");
        Directory.CreateDirectory(dir);
        foreach (var stale in new[] { CheckpointLoader.SingleFile, CheckpointLoader.IndexFile })
            File.Delete(Path.Combine(dir, stale));
        foreach (var shard in Directory.GetFiles(dir, "model-*-of-*.safetensors")) File.Delete(shard);

        var tokenizerSize = TinyTokenizerFiles.Write(dir);
        var firstAdded = tokenizerSize - TinyTokenizerFiles.QwenAddedTokens.Length;
        var vocabSize = VocabRows(tokenizerSize);
        var config = Config(vocabSize, firstAdded, options.Tied);
        FixtureJson.Write(Path.Combine(dir, Qwen3VLConfig.FileName), config.ToJson(options.RopeParametersSpelling));
        FixtureJson.Write(Path.Combine(dir, PreprocessorConfig.FileName), PreprocessorConfig.Qwen3VL().ToJson());
        FixtureJson.Write(Path.Combine(dir, GenerationConfig.FileName), new GenerationConfig
        {
            EosTokenIds = [firstAdded + 2, firstAdded], PadTokenId = firstAdded, DoSample = true,
            Temperature = 0.7, TopK = 20, TopP = 0.8,
        }.ToJson());

        var tensors = Tensors(config, options).ToList();
        if (!options.Sharded)
        {
            SafetensorsFile.Write(Path.Combine(dir, CheckpointLoader.SingleFile), tensors);
            return config;
        }
        // Shard 1: the language model; shard 2: vision tower and head (as the 8B puts model.visual.* last).
        var first = tensors.Where(t => t.Name.StartsWith("model.language_model.", StringComparison.Ordinal)).ToList();
        var second = tensors.Except(first).ToList();
        var names = new[] { "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors" };
        SafetensorsFile.Write(Path.Combine(dir, names[0]), first);
        SafetensorsFile.Write(Path.Combine(dir, names[1]), second);
        var map = new JsonObject();
        foreach (var t in first) map[t.Name] = names[0];
        foreach (var t in second) map[t.Name] = names[1];
        FixtureJson.Write(Path.Combine(dir, CheckpointLoader.IndexFile), new JsonObject
        {
            ["metadata"] = new JsonObject { ["total_size"] = tensors.Sum(t => (long)t.Data.Length) },
            ["weight_map"] = map,
        });
        return config;
    }

    /// <summary>Every checkpoint tensor of <paramref name="config"/> (names and shapes from the model built on the meta device).</summary>
    static IEnumerable<(string Name, SafetensorsDtype Dtype, long[] Shape, ReadOnlyMemory<byte> Data)> Tensors(Qwen3VLConfig config, FixtureOptions options)
    {
        List<(string Name, long[] Shape)> manifest;
        using (var meta = Qwen3VLForConditionalGeneration.Create(config, META))
            manifest = meta.CheckpointParameters().Select(p => (p.Key, p.Value.shape)).OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        foreach (var (name, shape) in manifest)
        {
            var values = Values(name, shape, options.Seed);
            yield return (name, options.Dtype, shape, Encode(values, options.Dtype));
        }
    }

    /// <summary>Deterministic values: N(0, 1/fan_in) matrices, N(0, 1) embeddings, 1 + N(0, 0.1²) norm weights, N(0, 0.02²) biases.</summary>
    static float[] Values(string name, long[] shape, ulong seed)
    {
        var count = shape.Aggregate(1L, (a, b) => a * b);
        var random = new SplitMix64(seed ^ Fnv1a(name));
        var values = new float[count];
        double mean = 0, std;
        if (name.EndsWith(".bias", StringComparison.Ordinal)) std = 0.02;
        else if (shape.Length == 1) { mean = 1; std = 0.1; }
        else if (name.Contains("embed_tokens", StringComparison.Ordinal) || name.Contains("pos_embed", StringComparison.Ordinal)) std = 1.0;
        else std = 1.0 / Math.Sqrt(shape.Skip(1).Aggregate(1L, (a, b) => a * b));
        for (var i = 0; i < count; i++) values[i] = (float)(mean + std * random.NextGaussian());
        return values;
    }

    static byte[] Encode(float[] values, SafetensorsDtype dtype)
    {
        if (dtype == SafetensorsDtype.F32)
        {
            var bytes = new byte[values.Length * 4];
            Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
            return bytes;
        }
        var result = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++)
        {
            var bits = BitConverter.SingleToUInt32Bits(values[i]);
            var rounded = (ushort)((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16);   // round to nearest even
            result[2 * i] = (byte)rounded;
            result[2 * i + 1] = (byte)(rounded >> 8);
        }
        return result;
    }

    static ulong Fnv1a(string s)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in s)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        return hash;
    }

    /// <summary>SplitMix64 with Box–Muller normals: tiny, fast, identical everywhere.</summary>
    sealed class SplitMix64(ulong state)
    {
        ulong _state = state;
        double? _spare;

        ulong Next()
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        double NextUniform() => ((Next() >> 11) + 0.5) * (1.0 / (1UL << 53));   // (0, 1)

        public double NextGaussian()
        {
            if (_spare is { } s)
            {
                _spare = null;
                return s;
            }
            var r = Math.Sqrt(-2 * Math.Log(NextUniform()));
            var theta = 2 * Math.PI * NextUniform();
            _spare = r * Math.Sin(theta);
            return r * Math.Cos(theta);
        }
    }
}
