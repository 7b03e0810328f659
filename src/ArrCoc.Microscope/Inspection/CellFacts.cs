using ArrCoc.Core.Texture;
using ArrCoc.Engine.Analysis;
using ArrCoc.Engine.Service;

namespace ArrCoc.Microscope.Inspection;

/// <summary>Everything known about one cell of an analysis: what the patch inspector shows.</summary>
public sealed record CellFacts
{
    public required int Index { get; init; }

    public required int Row { get; init; }

    public required int Column { get; init; }

    /// <summary>The 13 texture channel values, in channel order.</summary>
    public required float[] Channels { get; init; }

    public required float Information { get; init; }

    public required float Perspectival { get; init; }

    public required float Participatory { get; init; }

    public required float Balanced { get; init; }

    /// <summary>1 = the highest balanced score (ties: lower index first, as the allocator breaks them).</summary>
    public required int Rank { get; init; }

    public required bool Kept { get; init; }

    /// <summary>LOD budget when kept.</summary>
    public int? Budget { get; init; }

    /// <summary>The (t, h, w) of its image token in the prompt, when a model reported positions and the cell was given.</summary>
    public TokenPosition? Position { get; init; }

    public static CellFacts Of(AnalysisResult result, int cell, PositionTable? positions = null)
    {
        var r = result.Relevance;
        if (cell < 0 || cell >= r.Cells) throw new ArgumentOutOfRangeException(nameof(cell), $"cell must be between 0 and {r.Cells - 1}; got {cell}");
        int keptAt = Array.IndexOf(r.Kept, cell);
        return new CellFacts
        {
            Index = cell,
            Row = cell / r.Columns,
            Column = cell % r.Columns,
            Channels = Enumerable.Range(0, TextureChannels.Count).Select(c => r.Texture[c][cell]).ToArray(),
            Information = r.Information[cell],
            Perspectival = r.Perspectival[cell],
            Participatory = r.Participatory[cell],
            Balanced = r.Balanced[cell],
            Rank = Ranks(r.Balanced)[cell],
            Kept = keptAt >= 0,
            Budget = keptAt >= 0 ? r.Budgets[keptAt] : null,
            Position = positions?.ForCell(cell),
        };
    }

    /// <summary>Rank of every cell by score, 1 = highest; equal scores rank the lower index first.</summary>
    public static int[] Ranks(IReadOnlyList<float> scores)
    {
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ThenBy(i => i).ToArray();
        var ranks = new int[scores.Count];
        for (int position = 0; position < order.Length; position++) ranks[order[position]] = position + 1;
        return ranks;
    }
}
