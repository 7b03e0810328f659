using ArrCoc.Qwen3VL;
using ArrCoc.Qwen3VL.Generation;

namespace ArrCoc.Engine.Answering;

/// <summary>Decoding settings of one question (CLI/UI level): temperature 0 means greedy.</summary>
public sealed record AnswerSettings
{
    /// <summary>Most tokens to generate, e.g. 128.</summary>
    public int MaxNewTokens { get; init; } = 128;

    /// <summary>0 = greedy; above 0 = sampling at that temperature with the checkpoint's top-p/top-k unless overridden.</summary>
    public double Temperature { get; init; }

    public double? TopP { get; init; }

    public int? TopK { get; init; }

    public double? RepetitionPenalty { get; init; }

    public long? Seed { get; init; }

    /// <summary>Stop at the checkpoint's eos ids (true); false generates exactly <see cref="MaxNewTokens"/> (benchmarks).</summary>
    public bool StopAtEos { get; init; } = true;

    /// <summary>The generation options for a model: its generation_config.json defaults, overridden by these settings.</summary>
    public GenerationOptions ToGenerationOptions(Qwen3VLPipeline pipeline)
    {
        var options = pipeline.DefaultOptions() with { MaxNewTokens = MaxNewTokens, Seed = Seed };
        options = Temperature == 0
            ? options with { DoSample = false }
            : options with { DoSample = true, Temperature = Temperature };
        if (TopP is { } p) options = options with { TopP = p };
        if (TopK is { } k) options = options with { TopK = k };
        if (RepetitionPenalty is { } r) options = options with { RepetitionPenalty = r };
        if (!StopAtEos) options = options with { EosTokenIds = [] };
        return options.Validate();
    }
}
