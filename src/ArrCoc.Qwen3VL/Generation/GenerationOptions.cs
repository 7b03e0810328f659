using ArrCoc.Qwen3VL.Config;

namespace ArrCoc.Qwen3VL.Generation;

/// <summary>Decoding settings. Defaults follow transformers; <see cref="FromConfig"/> takes a checkpoint's generation_config.json.</summary>
public sealed record GenerationOptions
{
    /// <summary>Upper bound on generated tokens (stop tokens included), e.g. 128.</summary>
    public int MaxNewTokens { get; init; } = 128;
    /// <summary>Sample from the processed distribution; false = greedy (argmax).</summary>
    public bool DoSample { get; init; }
    /// <summary>Temperature (sampling only; 0 means greedy).</summary>
    public double Temperature { get; init; } = 1.0;
    /// <summary>Nucleus mass in (0, 1]; 1 = off.</summary>
    public double TopP { get; init; } = 1.0;
    /// <summary>Keep the k most likely tokens; 0 = off.</summary>
    public int TopK { get; init; }
    /// <summary>CTRL repetition penalty over prompt and generated ids; 1 = off. Applied in greedy mode too.</summary>
    public double RepetitionPenalty { get; init; } = 1.0;
    /// <summary>Sampling seed (null: a random one).</summary>
    public long? Seed { get; init; }
    /// <summary>Ids that end generation, e.g. [151645, 151643].</summary>
    public IReadOnlyList<long> EosTokenIds { get; init; } = [];

    public bool Greedy => !DoSample || Temperature == 0;

    public static GenerationOptions FromConfig(GenerationConfig config) => new()
    {
        DoSample = config.DoSample,
        Temperature = config.Temperature,
        TopP = config.TopP,
        TopK = config.TopK,
        RepetitionPenalty = config.RepetitionPenalty,
        EosTokenIds = config.EosTokenIds,
    };

    public GenerationOptions Validate()
    {
        if (MaxNewTokens < 1) throw new ArgumentOutOfRangeException(nameof(MaxNewTokens), $"max new tokens must be at least 1, got {MaxNewTokens}.");
        if (Temperature < 0 || double.IsNaN(Temperature)) throw new ArgumentOutOfRangeException(nameof(Temperature), $"temperature must be >= 0, got {Temperature}.");
        if (TopP is <= 0 or > 1 || double.IsNaN(TopP)) throw new ArgumentOutOfRangeException(nameof(TopP), $"top-p must be in (0, 1], got {TopP}.");
        if (TopK < 0) throw new ArgumentOutOfRangeException(nameof(TopK), $"top-k must be >= 0, got {TopK}.");
        if (RepetitionPenalty <= 0 || double.IsNaN(RepetitionPenalty)) throw new ArgumentOutOfRangeException(nameof(RepetitionPenalty), $"repetition penalty must be > 0, got {RepetitionPenalty}.");
        return this;
    }
}
