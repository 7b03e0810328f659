using System.Text.Json.Nodes;

namespace ArrCoc.Qwen3VL.Config;

/// <summary>Vision tower hyper-parameters (config.json "vision_config"). Example values are Qwen3-VL-2B's.</summary>
public sealed record Qwen3VLVisionConfig
{
    /// <summary>Number of vision blocks, e.g. 24.</summary>
    public required int Depth { get; init; }
    /// <summary>Vision hidden size D_v, e.g. 1024.</summary>
    public required int HiddenSize { get; init; }
    /// <summary>Vision MLP width, e.g. 4096.</summary>
    public required int IntermediateSize { get; init; }
    /// <summary>Attention heads, e.g. 16 (head dim = HiddenSize / NumHeads = 64).</summary>
    public required int NumHeads { get; init; }
    /// <summary>Image channels, 3.</summary>
    public int InChannels { get; init; } = 3;
    /// <summary>Patch edge in pixels, e.g. 16.</summary>
    public required int PatchSize { get; init; }
    /// <summary>Patches merged per side into one LM token, e.g. 2.</summary>
    public required int SpatialMergeSize { get; init; }
    /// <summary>Frames per temporal patch, e.g. 2 (an image is duplicated).</summary>
    public required int TemporalPatchSize { get; init; }
    /// <summary>Merger output width = text hidden size, e.g. 2048.</summary>
    public required int OutHiddenSize { get; init; }
    /// <summary>Learned position-embedding grid cells, e.g. 2304 (48 x 48).</summary>
    public required int NumPositionEmbeddings { get; init; }
    /// <summary>Vision blocks whose outputs feed DeepStack mergers, e.g. [5, 11, 17].</summary>
    public required int[] DeepstackVisualIndexes { get; init; }
    /// <summary>Block MLP activation; only "gelu_pytorch_tanh" is supported.</summary>
    public string HiddenAct { get; init; } = "gelu_pytorch_tanh";

    public int HeadDim => HiddenSize / NumHeads;
    /// <summary>Side of the learned position grid, e.g. 48.</summary>
    public int NumGridPerSide => (int)Math.Round(Math.Sqrt(NumPositionEmbeddings));
    /// <summary>Values per flattened patch row = C * T * P * P, e.g. 1536.</summary>
    public int PatchDim => InChannels * TemporalPatchSize * PatchSize * PatchSize;
}

/// <summary>Text decoder hyper-parameters (config.json "text_config"). Example values are Qwen3-VL-2B's.</summary>
public sealed record Qwen3VLTextConfig
{
    /// <summary>Embedding rows, e.g. 151936.</summary>
    public required int VocabSize { get; init; }
    /// <summary>Hidden size D, e.g. 2048.</summary>
    public required int HiddenSize { get; init; }
    /// <summary>MLP width, e.g. 6144.</summary>
    public required int IntermediateSize { get; init; }
    /// <summary>Decoder layers, e.g. 28.</summary>
    public required int NumHiddenLayers { get; init; }
    /// <summary>Query heads Hq, e.g. 16.</summary>
    public required int NumAttentionHeads { get; init; }
    /// <summary>Key/value heads Hkv, e.g. 8.</summary>
    public required int NumKeyValueHeads { get; init; }
    /// <summary>Head dim Dh, e.g. 128 (Hq * Dh may differ from D: 4B).</summary>
    public required int HeadDim { get; init; }
    /// <summary>RMSNorm epsilon, e.g. 1e-6.</summary>
    public double RmsNormEps { get; init; } = 1e-6;
    /// <summary>RoPE base, e.g. 5e6.</summary>
    public required double RopeTheta { get; init; }
    /// <summary>Frequency slots per axis (T, H, W), summing to Dh / 2, e.g. [24, 20, 20].</summary>
    public required int[] MropeSection { get; init; }
    /// <summary>Declared interleaving flag (the modeling code always interleaves).</summary>
    public bool MropeInterleaved { get; init; } = true;
    /// <summary>Maximum positions, e.g. 262144 (informational).</summary>
    public int MaxPositionEmbeddings { get; init; } = 262144;
    /// <summary>Whether q/k/v/o have biases; false for all Qwen3-VL checkpoints.</summary>
    public bool AttentionBias { get; init; }
    /// <summary>MLP activation; only "silu" is supported.</summary>
    public string HiddenAct { get; init; } = "silu";
    /// <summary>Weight dtype declared by the checkpoint, e.g. "bfloat16" (informational).</summary>
    public string? Dtype { get; init; }
    /// <summary>bos/eos ids declared in text_config, e.g. 151643 / 151645 (informational).</summary>
    public long? BosTokenId { get; init; }
    public long? EosTokenId { get; init; }

    public int NumKeyValueGroups => NumAttentionHeads / NumKeyValueHeads;
}

/// <summary>config.json of a Qwen3-VL checkpoint (model_type "qwen3_vl").</summary>
public sealed record Qwen3VLConfig
{
    public required Qwen3VLTextConfig TextConfig { get; init; }
    public required Qwen3VLVisionConfig VisionConfig { get; init; }
    /// <summary>&lt;|image_pad|&gt; id, e.g. 151655.</summary>
    public required long ImageTokenId { get; init; }
    /// <summary>&lt;|video_pad|&gt; id, e.g. 151656.</summary>
    public required long VideoTokenId { get; init; }
    /// <summary>&lt;|vision_start|&gt; id, e.g. 151652.</summary>
    public required long VisionStartTokenId { get; init; }
    /// <summary>&lt;|vision_end|&gt; id, e.g. 151653.</summary>
    public required long VisionEndTokenId { get; init; }
    /// <summary>Output head = embed_tokens (2B, 4B) or its own lm_head.weight (8B).</summary>
    public required bool TieWordEmbeddings { get; init; }

    public const string FileName = "config.json";

    public static Qwen3VLConfig Load(string modelDir)
    {
        var (doc, root) = JsonFields.Load(Path.Combine(modelDir, FileName));
        using (doc) return Parse(root);
    }

    public static Qwen3VLConfig Parse(string json, string fileName = FileName)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        return Parse(new JsonFields(doc.RootElement, fileName));
    }

    internal static Qwen3VLConfig Parse(JsonFields root)
    {
        var modelType = root.String("model_type");
        if (modelType != "qwen3_vl")
            throw root.Error("model_type", $"is \"{modelType}\"; only \"qwen3_vl\" (Qwen3-VL dense) checkpoints are supported.");
        var text = ParseText(root.Object("text_config"));
        var vision = ParseVision(root.Object("vision_config"));

        if (vision.OutHiddenSize != text.HiddenSize)
            throw root.Error("vision_config.out_hidden_size", $"is {vision.OutHiddenSize} but text_config.hidden_size is {text.HiddenSize}; they must match.");

        var topTie = root.OptionalBool("tie_word_embeddings");
        var textFields = root.Object("text_config");
        var textTie = textFields.OptionalBool("tie_word_embeddings");
        if (topTie is { } a && textTie is { } b && a != b)
            throw root.Error("tie_word_embeddings", $"is {a.ToString().ToLowerInvariant()} but text_config.tie_word_embeddings is {b.ToString().ToLowerInvariant()}; they contradict.");

        return new Qwen3VLConfig
        {
            TextConfig = text,
            VisionConfig = vision,
            ImageTokenId = root.Long("image_token_id"),
            VideoTokenId = root.Long("video_token_id"),
            VisionStartTokenId = root.Long("vision_start_token_id"),
            VisionEndTokenId = root.Long("vision_end_token_id"),
            // transformers' class default is False when neither level says anything.
            TieWordEmbeddings = topTie ?? textTie ?? false,
        };
    }

    static Qwen3VLTextConfig ParseText(JsonFields t)
    {
        // Rope settings: transformers 4.57 writes rope_theta + rope_scaling{...}; v5 writes rope_parameters{rope_theta, ...}.
        var scaling = t.OptionalObject("rope_scaling");
        var parameters = t.OptionalObject("rope_parameters");
        if (scaling is null && parameters is null)
            throw t.Error("rope_scaling", "is missing (neither rope_scaling nor rope_parameters is present).");
        if (scaling is { } s1 && parameters is { } p1)
        {
            // Both present: accept only if they agree on what they both state.
            foreach (var f in new[] { "rope_type", "type" })
                if (s1.Has(f) && p1.Has(f) && s1.String(f) != p1.String(f))
                    throw t.Error("rope_parameters." + f, $"is \"{p1.String(f)}\" but rope_scaling.{f} is \"{s1.String(f)}\"; they contradict.");
            if (s1.Has("mrope_section") && p1.Has("mrope_section") && !s1.IntArray("mrope_section").SequenceEqual(p1.IntArray("mrope_section")))
                throw t.Error("rope_parameters.mrope_section", "differs from rope_scaling.mrope_section; they contradict.");
        }
        var rope = parameters ?? scaling!.Value;
        var ropeType = rope.Has("rope_type") ? rope.String("rope_type") : rope.String("type", "default");
        if (ropeType != "default")
            throw rope.Error("rope_type", $"is \"{ropeType}\"; only \"default\" is supported.");

        double theta;
        if (rope.Has("rope_theta") && t.Has("rope_theta") && rope.Double("rope_theta") != t.Double("rope_theta"))
            throw t.Error("rope_theta", $"is {t.Double("rope_theta")} but {rope.Name("rope_theta")} is {rope.Double("rope_theta")}; they contradict.");
        if (rope.Has("rope_theta")) theta = rope.Double("rope_theta");
        else if (t.Has("rope_theta")) theta = t.Double("rope_theta");
        else throw t.Error("rope_theta", "is missing.");
        if (!(theta > 1)) throw t.Error("rope_theta", $"must be > 1, found {theta}.");

        var config = new Qwen3VLTextConfig
        {
            VocabSize = t.PositiveInt("vocab_size"),
            HiddenSize = t.PositiveInt("hidden_size"),
            IntermediateSize = t.PositiveInt("intermediate_size"),
            NumHiddenLayers = t.PositiveInt("num_hidden_layers"),
            NumAttentionHeads = t.PositiveInt("num_attention_heads"),
            NumKeyValueHeads = t.PositiveInt("num_key_value_heads"),
            HeadDim = t.PositiveInt("head_dim"),
            RmsNormEps = t.Double("rms_norm_eps", 1e-6),
            RopeTheta = theta,
            MropeSection = rope.IntArray("mrope_section"),
            MropeInterleaved = rope.OptionalBool("mrope_interleaved") ?? true,
            MaxPositionEmbeddings = t.PositiveInt("max_position_embeddings", 262144),
            AttentionBias = t.OptionalBool("attention_bias") ?? false,
            HiddenAct = t.String("hidden_act", "silu"),
            Dtype = t.Has("dtype") ? t.String("dtype") : t.Has("torch_dtype") ? t.String("torch_dtype") : null,
            BosTokenId = t.Has("bos_token_id") ? t.Long("bos_token_id") : null,
            EosTokenId = t.Has("eos_token_id") ? t.Long("eos_token_id") : null,
        };
        if (config.NumAttentionHeads % config.NumKeyValueHeads != 0)
            throw t.Error("num_key_value_heads", $"({config.NumKeyValueHeads}) must divide num_attention_heads ({config.NumAttentionHeads}).");
        if (config.HeadDim % 2 != 0) throw t.Error("head_dim", $"must be even, found {config.HeadDim}.");
        if (config.MropeSection.Length != 3 || config.MropeSection.Any(x => x < 0) || config.MropeSection.Sum() != config.HeadDim / 2)
            throw rope.Error("mrope_section", $"must be three non-negative integers summing to head_dim / 2 = {config.HeadDim / 2}, found [{string.Join(", ", config.MropeSection)}].");
        // Interleaving gives H the slots 1, 4, 7, ... and W the slots 2, 5, 8, ...: they must fit below head_dim / 2.
        var half = config.HeadDim / 2;
        if ((config.MropeSection[1] > 0 && 3 * (config.MropeSection[1] - 1) + 1 >= half) || (config.MropeSection[2] > 0 && 3 * (config.MropeSection[2] - 1) + 2 >= half))
            throw rope.Error("mrope_section", $"[{string.Join(", ", config.MropeSection)}] does not fit interleaved M-RoPE over head_dim / 2 = {half} slots.");
        if (config.HiddenAct != "silu") throw t.Error("hidden_act", $"is \"{config.HiddenAct}\"; only \"silu\" is supported.");
        if (config.AttentionBias) throw t.Error("attention_bias", "is true; Qwen3-VL has no attention biases and this implementation does not support them.");
        return config;
    }

    static Qwen3VLVisionConfig ParseVision(JsonFields v)
    {
        var config = new Qwen3VLVisionConfig
        {
            Depth = v.PositiveInt("depth"),
            HiddenSize = v.PositiveInt("hidden_size"),
            IntermediateSize = v.PositiveInt("intermediate_size"),
            NumHeads = v.PositiveInt("num_heads"),
            InChannels = v.PositiveInt("in_channels", 3),
            PatchSize = v.PositiveInt("patch_size"),
            SpatialMergeSize = v.PositiveInt("spatial_merge_size"),
            TemporalPatchSize = v.PositiveInt("temporal_patch_size"),
            OutHiddenSize = v.PositiveInt("out_hidden_size"),
            NumPositionEmbeddings = v.PositiveInt("num_position_embeddings"),
            DeepstackVisualIndexes = v.IntArray("deepstack_visual_indexes"),
            HiddenAct = v.String("hidden_act", "gelu_pytorch_tanh"),
        };
        if (config.HiddenSize % config.NumHeads != 0)
            throw v.Error("num_heads", $"({config.NumHeads}) must divide hidden_size ({config.HiddenSize}).");
        if (config.HeadDim % 4 != 0)
            throw v.Error("hidden_size", $"/ num_heads = {config.HeadDim} must be a multiple of 4 (2-D rotary).");
        var side = config.NumGridPerSide;
        if (side * side != config.NumPositionEmbeddings)
            throw v.Error("num_position_embeddings", $"must be a perfect square, found {config.NumPositionEmbeddings}.");
        if (config.InChannels != 3) throw v.Error("in_channels", $"must be 3, found {config.InChannels}.");
        var seen = new HashSet<int>();
        foreach (var i in config.DeepstackVisualIndexes)
            if (i < 0 || i >= config.Depth || !seen.Add(i))
                throw v.Error("deepstack_visual_indexes", $"[{string.Join(", ", config.DeepstackVisualIndexes)}] must be distinct block indexes below depth {config.Depth}.");
        if (config.HiddenAct != "gelu_pytorch_tanh") throw v.Error("hidden_act", $"is \"{config.HiddenAct}\"; only \"gelu_pytorch_tanh\" is supported.");
        return config;
    }

    /// <summary>
    /// Writes config.json in the official schema (transformers 4.57 layout: rope_theta + rope_scaling, or the v5
    /// rope_parameters spelling when <paramref name="ropeParametersSpelling"/> is set).
    /// </summary>
    public JsonObject ToJson(bool ropeParametersSpelling = false)
    {
        var t = TextConfig;
        var v = VisionConfig;
        var mrope = new JsonArray(t.MropeSection.Select(x => (JsonNode)x).ToArray());
        var text = new JsonObject
        {
            ["attention_bias"] = t.AttentionBias,
            ["attention_dropout"] = 0.0,
            ["bos_token_id"] = t.BosTokenId,
            ["dtype"] = t.Dtype ?? "bfloat16",
            ["eos_token_id"] = t.EosTokenId,
            ["head_dim"] = t.HeadDim,
            ["hidden_act"] = t.HiddenAct,
            ["hidden_size"] = t.HiddenSize,
            ["initializer_range"] = 0.02,
            ["intermediate_size"] = t.IntermediateSize,
            ["max_position_embeddings"] = t.MaxPositionEmbeddings,
            ["model_type"] = "qwen3_vl_text",
            ["num_attention_heads"] = t.NumAttentionHeads,
            ["num_hidden_layers"] = t.NumHiddenLayers,
            ["num_key_value_heads"] = t.NumKeyValueHeads,
            ["rms_norm_eps"] = t.RmsNormEps,
        };
        if (ropeParametersSpelling)
        {
            text["rope_parameters"] = new JsonObject
            {
                ["mrope_interleaved"] = t.MropeInterleaved,
                ["mrope_section"] = mrope,
                ["rope_theta"] = t.RopeTheta,
                ["rope_type"] = "default",
            };
        }
        else
        {
            text["rope_scaling"] = new JsonObject
            {
                ["mrope_interleaved"] = t.MropeInterleaved,
                ["mrope_section"] = mrope,
                ["rope_type"] = "default",
            };
            text["rope_theta"] = t.RopeTheta;
        }
        text["tie_word_embeddings"] = TieWordEmbeddings;
        text["use_cache"] = true;
        text["vocab_size"] = t.VocabSize;

        var vision = new JsonObject
        {
            ["deepstack_visual_indexes"] = new JsonArray(v.DeepstackVisualIndexes.Select(x => (JsonNode)x).ToArray()),
            ["depth"] = v.Depth,
            ["hidden_act"] = v.HiddenAct,
            ["hidden_size"] = v.HiddenSize,
            ["in_channels"] = v.InChannels,
            ["initializer_range"] = 0.02,
            ["intermediate_size"] = v.IntermediateSize,
            ["model_type"] = "qwen3_vl",
            ["num_heads"] = v.NumHeads,
            ["num_position_embeddings"] = v.NumPositionEmbeddings,
            ["out_hidden_size"] = v.OutHiddenSize,
            ["patch_size"] = v.PatchSize,
            ["spatial_merge_size"] = v.SpatialMergeSize,
            ["temporal_patch_size"] = v.TemporalPatchSize,
        };
        return new JsonObject
        {
            ["architectures"] = new JsonArray("Qwen3VLForConditionalGeneration"),
            ["image_token_id"] = ImageTokenId,
            ["model_type"] = "qwen3_vl",
            ["text_config"] = text,
            ["tie_word_embeddings"] = TieWordEmbeddings,
            ["transformers_version"] = "4.57.0.dev0",
            ["video_token_id"] = VideoTokenId,
            ["vision_config"] = vision,
            ["vision_end_token_id"] = VisionEndTokenId,
            ["vision_start_token_id"] = VisionStartTokenId,
        };
    }

    /// <summary>The official Qwen3-VL-2B-Instruct configuration (facts sheet section 1.2), for shape tests and benchmarks.</summary>
    public static Qwen3VLConfig Qwen3VL2B() => new()
    {
        TextConfig = new Qwen3VLTextConfig
        {
            VocabSize = 151936, HiddenSize = 2048, IntermediateSize = 6144, NumHiddenLayers = 28,
            NumAttentionHeads = 16, NumKeyValueHeads = 8, HeadDim = 128, RmsNormEps = 1e-6,
            RopeTheta = 5_000_000, MropeSection = [24, 20, 20], MaxPositionEmbeddings = 262144,
            Dtype = "bfloat16", BosTokenId = 151643, EosTokenId = 151645,
        },
        VisionConfig = new Qwen3VLVisionConfig
        {
            Depth = 24, HiddenSize = 1024, IntermediateSize = 4096, NumHeads = 16, PatchSize = 16,
            SpatialMergeSize = 2, TemporalPatchSize = 2, OutHiddenSize = 2048, NumPositionEmbeddings = 2304,
            DeepstackVisualIndexes = [5, 11, 17],
        },
        ImageTokenId = 151655, VideoTokenId = 151656, VisionStartTokenId = 151652, VisionEndTokenId = 151653,
        TieWordEmbeddings = true,
    };
}
