namespace ArrCoc.Core.Balancing;

/// <summary>The three ways of knowing, in the balancer's weight order.</summary>
public enum WayOfKnowing
{
    /// <summary>Propositional: entropy of the texture channels.</summary>
    Information = 0,

    /// <summary>Perspectival: Sobel magnitude (what stands out).</summary>
    Perspectival = 1,

    /// <summary>Participatory: learned query–texture similarity.</summary>
    Participatory = 2,
}

/// <summary>Names and parsing for <see cref="WayOfKnowing"/>.</summary>
public static class WaysOfKnowing
{
    public const int Count = 3;

    public static IReadOnlyList<WayOfKnowing> All { get; } = [WayOfKnowing.Information, WayOfKnowing.Perspectival, WayOfKnowing.Participatory];

    /// <summary>Lower-case name: "information", "perspectival", "participatory".</summary>
    public static string Name(this WayOfKnowing way) => way switch
    {
        WayOfKnowing.Information => "information",
        WayOfKnowing.Perspectival => "perspectival",
        WayOfKnowing.Participatory => "participatory",
        _ => throw new ArgumentOutOfRangeException(nameof(way), way, null),
    };

    /// <summary>Dotted registry name, e.g. "knowing.participatory".</summary>
    public static string RegistryName(this WayOfKnowing way) => "knowing." + way.Name();

    /// <summary>Parse a comma-separated list such as "information,perspectival" (case-insensitive; empty → none).</summary>
    public static IReadOnlySet<WayOfKnowing> ParseList(string? list)
    {
        var result = new HashSet<WayOfKnowing>();
        if (string.IsNullOrWhiteSpace(list)) return result;
        foreach (var part in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var way = All.FirstOrDefault(w => string.Equals(w.Name(), part, StringComparison.OrdinalIgnoreCase), (WayOfKnowing)(-1));
            if ((int)way < 0)
                throw new ArgumentException($"unknown way of knowing '{part}'; expected information, perspectival or participatory");
            result.Add(way);
        }
        return result;
    }
}
