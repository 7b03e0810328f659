namespace ArrCoc.Core.Balancing;

/// <summary>
/// Ablation of the balancer: switch off ways of knowing (their weight forced to 0, the others renormalised)
/// and/or fix the weights by hand (normalised to sum 1). <see cref="None"/> leaves the learned weights alone.
/// </summary>
public sealed record BalancerOverride
{
    public static BalancerOverride None { get; } = new();

    /// <summary>Ways of knowing switched off.</summary>
    public IReadOnlySet<WayOfKnowing> Disabled { get; init; } = new HashSet<WayOfKnowing>();

    /// <summary>Hand-set weights (information, perspectival, participatory), used instead of the balancer's; null = learned.</summary>
    public IReadOnlyList<double>? FixedWeights { get; init; }

    public bool IsNone => Disabled.Count == 0 && FixedWeights is null;

    /// <summary>Throws a clear error when the override cannot give weights that sum to 1.</summary>
    public void Validate()
    {
        if (Disabled.Count == WaysOfKnowing.Count)
            throw new ArgumentException("all three ways of knowing are switched off; keep at least one");
        if (FixedWeights is null) return;
        if (FixedWeights.Count != WaysOfKnowing.Count)
            throw new ArgumentException($"fixed weights need {WaysOfKnowing.Count} values (information, perspectival, participatory); got {FixedWeights.Count}");
        if (FixedWeights.Any(w => !double.IsFinite(w) || w < 0))
            throw new ArgumentException($"fixed weights must be finite and non-negative; got [{string.Join(", ", FixedWeights)}]");
        var enabledSum = WaysOfKnowing.All.Where(w => !Disabled.Contains(w)).Sum(w => FixedWeights[(int)w]);
        if (enabledSum <= 0)
            throw new ArgumentException("the fixed weights of the enabled ways of knowing sum to 0; give at least one a positive weight");
    }

    /// <summary>A 0/1 mask (1 = enabled) in weight order.</summary>
    public float[] EnabledMask() => WaysOfKnowing.All.Select(w => Disabled.Contains(w) ? 0f : 1f).ToArray();
}
