using ArrCoc.Core.Balancing;

namespace ArrCoc.Engine.Analysis;

/// <summary>One question about one prepared image: K and an optional ablation of the balancer.</summary>
public sealed record AnalysisRequest
{
    public required string Question { get; init; }

    /// <summary>Cells to keep; null = the configured default (e.g. 200).</summary>
    public int? K { get; init; }

    public BalancerOverride Ablation { get; init; } = BalancerOverride.None;
}
