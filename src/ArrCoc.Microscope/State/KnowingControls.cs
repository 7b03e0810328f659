using ArrCoc.Core.Balancing;

namespace ArrCoc.Microscope.State;

/// <summary>The Knowing tab's switches: which ways of knowing are on, and hand-set weights instead of the balancer's.</summary>
public sealed record KnowingControls
{
    public static KnowingControls Learned { get; } = new();

    /// <summary>On/off per way of knowing, in weight order.</summary>
    public IReadOnlyList<bool> Enabled { get; init; } = [true, true, true];

    public bool ManualWeights { get; init; }

    /// <summary>Hand-set weights (normalised when used), in weight order.</summary>
    public IReadOnlyList<double> Weights { get; init; } = [1.0 / 3, 1.0 / 3, 1.0 / 3];

    public bool IsLearned => Enabled.All(e => e) && !ManualWeights;

    public KnowingControls WithEnabled(WayOfKnowing way, bool on) => this with { Enabled = Replace(Enabled, (int)way, on) };

    public KnowingControls WithWeight(WayOfKnowing way, double weight) => this with { Weights = Replace(Weights, (int)way, weight) };

    public BalancerOverride ToOverride() => new()
    {
        Disabled = WaysOfKnowing.All.Where(w => !Enabled[(int)w]).ToHashSet(),
        FixedWeights = ManualWeights ? Weights : null,
    };

    static T[] Replace<T>(IReadOnlyList<T> values, int index, T value)
    {
        var copy = values.ToArray();
        copy[index] = value;
        return copy;
    }
}
