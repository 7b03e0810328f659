using System.CommandLine;
using System.Globalization;
using ArrCoc.Core.Balancing;
using ArrCoc.Engine;
using ArrCoc.Engine.Images;

namespace ArrCoc.Cli;

/// <summary>The ARR-COC options `analyze` and `ask` share: K, grid, weights and ablation.</summary>
public sealed class ArrCocCliOptions
{
    public Option<int?> K { get; } = new("--k") { Description = "Cells to keep (1..N; default 200, or N when the grid is smaller)." };
    public Option<string> Grid { get; } = new("--grid") { Description = "Grid: 32 (32x32 cells = 1024x1024 px), ROWSxCOLUMNS, or auto.", DefaultValueFactory = _ => "32" };
    public Option<int> MaxCells { get; } = new("--max-cells") { Description = "Cell budget of --grid auto.", DefaultValueFactory = _ => 1024 };
    public Option<FileInfo?> Checkpoint { get; } = new("--checkpoint") { Description = "ARR-COC weights (safetensors); default: untrained, seeded." };
    public Option<long> InitSeed { get; } = new("--init-seed") { Description = "Seed of the untrained ARR-COC weights.", DefaultValueFactory = _ => 0 };
    public Option<string?> Ablate { get; } = new("--ablate") { Description = "Ways of knowing to switch off: information,perspectival,participatory." };
    public Option<string?> Weights { get; } = new("--weights") { Description = "Fixed balancer weights W_INFO,W_PERSP,W_PARTIC (normalised)." };

    public IEnumerable<Option> All => [K, Grid, MaxCells, Checkpoint, InitSeed, Ablate, Weights];

    public void AddTo(Command command)
    {
        foreach (var option in All) command.Options.Add(option);
    }

    public ArrCocOptions Options(ParseResult parse) => new()
    {
        Grid = parse.GetValue(Grid)!,
        MaxCells = parse.GetValue(MaxCells),
        Checkpoint = parse.GetValue(Checkpoint)?.FullName,
        Seed = parse.GetValue(InitSeed),
    };

    /// <summary>The ARR-COC selection flags given on the command line (K, weights, ablation): what --all-tokens makes moot.</summary>
    public IReadOnlyList<string> SelectionFlagsGiven(ParseResult parse) =>
        new Option[] { K, Checkpoint, InitSeed, Ablate, Weights }.Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();

    /// <summary>True when --grid was given on the command line (not its default).</summary>
    public bool GridGiven(ParseResult parse) => parse.GetResult(Grid) is { Implicit: false };

    public GridSpec GridSpec(ParseResult parse) => Engine.Images.GridSpec.Parse(parse.GetValue(Grid)!, parse.GetValue(MaxCells));

    /// <summary>The ablation from --ablate and --weights (validated).</summary>
    public BalancerOverride Ablation(ParseResult parse) => ParseAblation(parse.GetValue(Ablate), parse.GetValue(Weights));

    internal static BalancerOverride ParseAblation(string? ablate, string? weights)
    {
        var ablation = new BalancerOverride
        {
            Disabled = WaysOfKnowing.ParseList(ablate),
            FixedWeights = weights is null ? null : ParseWeights(weights),
        };
        ablation.Validate();
        return ablation;
    }

    static double[] ParseWeights(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
                throw new FormatException($"--weights: '{parts[i]}' is not a number; give three, e.g. 0.2,0.3,0.5");
        return values;
    }
}
