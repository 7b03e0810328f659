using ArrCoc.Engine.Images;
using ArrCoc.Engine.Integration;

namespace ArrCoc.Engine.Training;

/// <summary>How `arrcoc validate` answers: the same grid, K and prompt suffix as training; greedy, short answers.</summary>
public sealed record ValidationOptions
{
    /// <summary>Cells ARR-COC keeps, e.g. 200 (capped at the cells of an image on the auto grid).</summary>
    public int K { get; init; } = 200;

    /// <summary>Grid of every image, for ARR-COC and for the all-tokens baseline alike, e.g. "32".</summary>
    public string Grid { get; init; } = "32";

    /// <summary>Cell budget of the auto grid, e.g. 1024.</summary>
    public int MaxCells { get; init; } = 1024;

    /// <summary>Validate on the first N questions only, e.g. 500; null = all.</summary>
    public int? Limit { get; init; }

    /// <summary>Instruction after each question (training's default, so both ask alike).</summary>
    public string? PromptSuffix { get; init; } = QuestionPrompt.ShortAnswer;

    /// <summary>Most tokens per answer, e.g. 16 (VQA answers are a word or a phrase).</summary>
    public int MaxNewTokens { get; init; } = 16;

    public GridSpec GridSpec() => Images.GridSpec.Parse(Grid, MaxCells);

    public void Validate()
    {
        if (K < 1) throw new ArgumentOutOfRangeException(nameof(K), K, "--k must be at least 1");
        if (Limit is < 1) throw new ArgumentOutOfRangeException(nameof(Limit), Limit, "--limit must be at least 1");
        if (MaxNewTokens < 1) throw new ArgumentOutOfRangeException(nameof(MaxNewTokens), MaxNewTokens, "--max-new-tokens must be at least 1");
        var grid = GridSpec();
        if (!grid.IsAuto) Core.Attending.TokenAllocator.ValidateK(K, grid.Rows!.Value * grid.Columns!.Value);
    }
}
