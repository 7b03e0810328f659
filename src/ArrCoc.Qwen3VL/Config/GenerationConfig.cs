using System.Text.Json.Nodes;

namespace ArrCoc.Qwen3VL.Config;

/// <summary>generation_config.json: decoding defaults of a checkpoint. Absent fields take transformers' defaults.</summary>
public sealed record GenerationConfig
{
    public const string FileName = "generation_config.json";

    /// <summary>Stop ids, e.g. [151645, 151643].</summary>
    public long[] EosTokenIds { get; init; } = [];
    /// <summary>Padding id, e.g. 151643.</summary>
    public long? PadTokenId { get; init; }
    /// <summary>Sample (true) or greedy (false); transformers default false.</summary>
    public bool DoSample { get; init; }
    /// <summary>Softmax temperature, e.g. 0.7; transformers default 1.0.</summary>
    public double Temperature { get; init; } = 1.0;
    /// <summary>Nucleus mass, e.g. 0.8; default 1.0 (off).</summary>
    public double TopP { get; init; } = 1.0;
    /// <summary>Top-k cut, e.g. 20; default 50 in transformers; 0 = off.</summary>
    public int TopK { get; init; } = 50;
    /// <summary>CTRL-style repetition penalty, default 1.0 (off).</summary>
    public double RepetitionPenalty { get; init; } = 1.0;

    /// <summary>Loads generation_config.json from <paramref name="modelDir"/>; a checkpoint without one gets transformers' defaults.</summary>
    public static GenerationConfig Load(string modelDir)
    {
        var path = Path.Combine(modelDir, FileName);
        if (!File.Exists(path)) return new GenerationConfig();
        var (doc, g) = JsonFields.Load(path);
        using (doc)
        {
            var config = new GenerationConfig
            {
                EosTokenIds = g.Has("eos_token_id") ? g.IntOrIntArray("eos_token_id") : [],
                PadTokenId = g.Has("pad_token_id") ? g.Long("pad_token_id") : null,
                DoSample = g.OptionalBool("do_sample") ?? false,
                Temperature = g.Double("temperature", 1.0),
                TopP = g.Double("top_p", 1.0),
                TopK = g.Int("top_k", 50),
                RepetitionPenalty = g.Double("repetition_penalty", 1.0),
            };
            if (config.Temperature < 0) throw g.Error("temperature", $"must be >= 0, found {config.Temperature}.");
            if (config.TopP is <= 0 or > 1) throw g.Error("top_p", $"must be in (0, 1], found {config.TopP}.");
            if (config.TopK < 0) throw g.Error("top_k", $"must be >= 0, found {config.TopK}.");
            if (config.RepetitionPenalty <= 0) throw g.Error("repetition_penalty", $"must be > 0, found {config.RepetitionPenalty}.");
            return config;
        }
    }

    public JsonObject ToJson() => new()
    {
        ["bos_token_id"] = PadTokenId,
        ["do_sample"] = DoSample,
        ["eos_token_id"] = new JsonArray(EosTokenIds.Select(x => (JsonNode)x).ToArray()),
        ["pad_token_id"] = PadTokenId,
        ["temperature"] = Temperature,
        ["top_k"] = TopK,
        ["top_p"] = TopP,
        ["transformers_version"] = "4.57.0.dev0",
    };
}
