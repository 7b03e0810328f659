using ArrCoc.Engine.Images;
using ArrCoc.Engine.Integration;

namespace ArrCoc.Engine.Training;

/// <summary>
/// Every knob of a training run, with its default (saved as "config" in each checkpoint's state.json; a resumed run
/// continues with the saved configuration). Only ARR-COC's participatory scorer and balancer learn; Qwen3-VL is frozen.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>VQAv2 split to train on, e.g. "train2014" (ignored for a .jsonl file).</summary>
    public string Split { get; init; } = "train2014";

    /// <summary>Use only the first N questions of the data, e.g. 5000; null = all.</summary>
    public int? Limit { get; init; }

    /// <summary>Cells kept, e.g. 200 of 1024 (capped at the cells of an image on the auto grid).</summary>
    public int K { get; init; } = 200;

    /// <summary>Grid of every image: "32" (32 × 32 cells = 1024 × 1024 px), "ROWSxCOLUMNS" or "auto".</summary>
    public string Grid { get; init; } = "32";

    /// <summary>Cell budget of the auto grid, e.g. 1024.</summary>
    public int MaxCells { get; init; } = 1024;

    /// <summary>Optimizer steps, e.g. 1000.</summary>
    public int Steps { get; init; } = 1000;

    /// <summary>Examples per optimizer step (gradient accumulation, one image at a time), e.g. 8.</summary>
    public int Batch { get; init; } = 8;

    /// <summary>Peak learning rate of AdamW, e.g. 1e-3.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Linear warm-up steps (at most the steps); null = 5 % of the steps.</summary>
    public int? WarmupSteps { get; init; }

    /// <summary>The cosine ends at this fraction of the peak learning rate, e.g. 0.1.</summary>
    public double MinLearningRateRatio { get; init; } = 0.1;

    /// <summary>AdamW's decoupled weight decay, e.g. 0.01.</summary>
    public double WeightDecay { get; init; } = 0.01;

    public double Beta1 { get; init; } = 0.9;

    public double Beta2 { get; init; } = 0.999;

    public double Epsilon { get; init; } = 1e-8;

    /// <summary>Gradient clipping: largest global L2 norm, e.g. 1.0; 0 = no clipping.</summary>
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>Seed of the initial ARR-COC weights (without <see cref="InitCheckpoint"/>) and of the data order.</summary>
    public long Seed { get; init; }

    /// <summary>Save a checkpoint every N steps (and always at the end), e.g. 100; 0 = only at the end.</summary>
    public int CheckpointEvery { get; init; } = 100;

    /// <summary>Instruction after each question in the chat prompt (validation uses the same); null = none.</summary>
    public string? PromptSuffix { get; init; } = QuestionPrompt.ShortAnswer;

    /// <summary>Start from these ARR-COC weights (.safetensors, .pt, .bin) instead of the seeded initialisation.</summary>
    public string? InitCheckpoint { get; init; }

    /// <summary>The warm-up actually used.</summary>
    public int Warmup => Math.Min(WarmupSteps ?? Steps / 20, Steps);

    public GridSpec GridSpec() => Images.GridSpec.Parse(Grid, MaxCells);

    /// <summary>Throws ArgumentException naming the option and its value.</summary>
    public void Validate()
    {
        if (Steps < 1) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "--steps must be at least 1");
        if (Batch < 1) throw new ArgumentOutOfRangeException(nameof(Batch), Batch, "--batch must be at least 1");
        if (K < 1) throw new ArgumentOutOfRangeException(nameof(K), K, "--k must be at least 1");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "--lr must be a positive number");
        if (WarmupSteps < 0) throw new ArgumentOutOfRangeException(nameof(WarmupSteps), WarmupSteps, "--warmup must not be negative");
        if (MinLearningRateRatio is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(MinLearningRateRatio), MinLearningRateRatio, "--min-lr-ratio must be between 0 and 1");
        if (WeightDecay < 0) throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "--weight-decay must not be negative");
        if (MaxGradNorm < 0) throw new ArgumentOutOfRangeException(nameof(MaxGradNorm), MaxGradNorm, "--clip must not be negative (0 = no clipping)");
        if (CheckpointEvery < 0) throw new ArgumentOutOfRangeException(nameof(CheckpointEvery), CheckpointEvery, "--checkpoint-every must not be negative (0 = only at the end)");
        if (Limit is < 1) throw new ArgumentOutOfRangeException(nameof(Limit), Limit, "--limit must be at least 1");
        var grid = GridSpec();
        if (!grid.IsAuto) Core.Attending.TokenAllocator.ValidateK(K, grid.Rows!.Value * grid.Columns!.Value);
    }
}
