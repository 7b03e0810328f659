namespace ArrCoc.Engine.Service;

/// <summary>Where the language model stands. Only <see cref="Ready"/> answers questions.</summary>
public enum ModelState
{
    /// <summary>No model configured: microscope only.</summary>
    NotConfigured,

    /// <summary>Downloading from the Hugging Face Hub (with a progress fraction where known).</summary>
    Downloading,

    /// <summary>Reading weights into memory.</summary>
    Loading,

    Ready,

    /// <summary>Download or load failed; the reason says why.</summary>
    Failed,
}

/// <summary>A step a model loader reports: the state, an optional detail line and progress fraction in [0, 1].</summary>
public sealed record ModelLoadReport(ModelState State, string? Detail = null, double? Fraction = null);

/// <summary>What the status bar shows: the language model's state and the ARR-COC settings in force.</summary>
public sealed record ModelStatus
{
    /// <summary>The reason shown when no model is configured.</summary>
    public const string NotConfiguredReason = "no model configured (set Engine:Model to a Hugging Face id or a local folder)";

    public required ModelState State { get; init; }

    /// <summary>Hugging Face id or local path; null when none is configured.</summary>
    public string? ModelId { get; init; }

    /// <summary>"cpu" or "cuda".</summary>
    public required string Device { get; init; }

    /// <summary>"float32" or "bfloat16".</summary>
    public required string Dtype { get; init; }

    /// <summary>A line about the state: download progress in bytes, the failure's reason, why nothing is configured.</summary>
    public string? Detail { get; init; }

    /// <summary>Download or load progress in [0, 1], where known.</summary>
    public double? Fraction { get; init; }

    /// <summary>ARR-COC weights: "untrained (seed N)" or the checkpoint path.</summary>
    public required string Checkpoint { get; init; }

    /// <summary>Default cells kept, e.g. 200.</summary>
    public required int K { get; init; }

    /// <summary>"fallback" until a model's input embeddings make the query vectors.</summary>
    public required string QueryEmbedding { get; init; }

    public bool CanAnswer => State == ModelState.Ready;

    /// <summary>Why answering is disabled, for the UI; null when the model is ready.</summary>
    public string? AnsweringDisabledReason => State switch
    {
        ModelState.Ready => null,
        ModelState.NotConfigured => Detail ?? "no model configured",
        ModelState.Downloading => "the model is still downloading",
        ModelState.Loading => "the model is still loading",
        _ => "the model failed to load: " + (Detail ?? "unknown reason"),
    };
}
