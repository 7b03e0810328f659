using System.Text.Json;
using System.Text.Json.Serialization;

namespace ArrCoc.Engine.Training;

/// <summary>Which data a run trains on; a resume checks that the data it is given is the same.</summary>
public sealed record TrainingData
{
    /// <summary>The VQAv2 folder or .jsonl file, as given.</summary>
    public required string Path { get; init; }

    public required string Split { get; init; }

    /// <summary>Questions used (after --limit), e.g. 200.</summary>
    public required int Examples { get; init; }

    /// <summary>SHA-256 (16 hex) of the question ids in load order: the same data in the same order.</summary>
    public required string Fingerprint { get; init; }
}

/// <summary>The numbers of the last step and of the run so far.</summary>
public sealed record TrainingMetrics
{
    /// <summary>Mean answer loss of the last step's examples.</summary>
    public double Loss { get; init; }

    /// <summary>Mean loss over the last (up to) 10 steps.</summary>
    public double LossMean10 { get; init; }

    public double LearningRate { get; init; }

    /// <summary>Global gradient L2 norm before clipping.</summary>
    public double GradNorm { get; init; }

    /// <summary>Training time so far (all sessions of the run), in seconds.</summary>
    public double ElapsedSeconds { get; init; }
}

/// <summary>
/// state.json of a checkpoint: the step, the data position, the configuration, the model and data it belongs to,
/// and the latest metrics. With the weights (arrcoc.safetensors) and AdamW's state (optimizer.bin) it is all a
/// resume needs.
/// </summary>
public sealed record TrainingState
{
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;

    /// <summary>Optimizer steps done, e.g. 300.</summary>
    public required int Step { get; init; }

    /// <summary>Where the next example comes from.</summary>
    public required DataPosition Position { get; init; }

    /// <summary>Examples trained on so far (Step × Batch).</summary>
    public required long ExamplesSeen { get; init; }

    /// <summary>Saved on an interrupt (Ctrl-C) rather than on schedule.</summary>
    public bool Interrupted { get; init; }

    /// <summary>The Qwen3-VL model (Hub id or folder) the run trains against.</summary>
    public required string Model { get; init; }

    /// <summary>Query dimension D (the model's hidden size), e.g. 2048.</summary>
    public required int QueryDim { get; init; }

    public required TrainingData Data { get; init; }

    public required TrainingOptions Config { get; init; }

    public required TrainingMetrics Metrics { get; init; }

    public DateTimeOffset SavedUtc { get; init; } = DateTimeOffset.UtcNow;

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public void Write(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    public static TrainingState Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"training state not found: {path}", path);
        try
        {
            var state = JsonSerializer.Deserialize<TrainingState>(File.ReadAllText(path), Json)
                ?? throw new InvalidDataException($"{path}: holds null, not a training state");
            if (state.Format != CurrentFormat) throw new InvalidDataException($"{path}: format {state.Format}; this version reads format {CurrentFormat}");
            return state;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid training state ({e.Message})", e);
        }
    }
}
