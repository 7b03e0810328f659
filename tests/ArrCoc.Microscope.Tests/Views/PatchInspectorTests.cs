using ArrCoc.Microscope.Components.Inspector;
using Bunit;

namespace ArrCoc.Microscope.Tests.Views;

public class PatchInspectorTests : MicroscopeContext
{
    [Fact]
    public void KeptCell_ShowsScoresRankBudgetAndPositionIds()
    {
        var result = Results.Analysis(rows: 4, columns: 5, k: 3);

        var cut = Render<PatchInspector>(p => p.Add(v => v.Result, result).Add(v => v.Cell, 19).Add(v => v.Positions, Results.Positions(result)));

        Assert.Equal("19", cut.Find("[data-testid=inspector-facts]").GetAttribute("data-cell"));
        Assert.Equal("yes, budget 400", cut.Find("[data-testid=inspector-kept]").TextContent);
        Assert.Equal("1 of 20", cut.Find("[data-testid=inspector-rank]").TextContent);
        Assert.StartsWith("(t, h, w) = (2, 5, 6)", cut.Find("[data-testid=inspector-position]").TextContent);
        Assert.Equal(13, cut.FindAll(".channel-row").Count);
    }

    [Fact]
    public void RejectedCell_ShowsThePositionItHasInTheFullPrompt()
    {
        var result = Results.Analysis(rows: 4, columns: 5, k: 3);

        var cut = Render<PatchInspector>(p => p.Add(v => v.Result, result).Add(v => v.Cell, 7).Add(v => v.Positions, Results.Positions(result)));

        Assert.Equal("no", cut.Find("[data-testid=inspector-kept]").TextContent);
        Assert.Equal("not in the prompt (not kept); in the full prompt (t, h, w) = (2, 3, 4)", cut.Find("[data-testid=inspector-position]").TextContent);
    }

    [Fact]
    public void RejectedCell_WithoutModel_SaysWhyNoPositions()
    {
        var cut = Render<PatchInspector>(p => p.Add(v => v.Result, Results.Analysis()).Add(v => v.Cell, 0).Add(v => v.PositionsUnavailableReason, "no model configured"));

        Assert.Equal("no", cut.Find("[data-testid=inspector-kept]").TextContent);
        Assert.Equal("not available: no model configured", cut.Find("[data-testid=inspector-position]").TextContent);
    }

    [Fact]
    public void RowAndColumn_PickACell()
    {
        int? picked = null;
        var cut = Render<PatchInspector>(p => p.Add(v => v.Result, Results.Analysis(rows: 4, columns: 5)).Add(v => v.CellChanged, c => picked = c));

        cut.Find("[data-testid=inspector-row] input, input[data-testid=inspector-row]").Change("2");

        Assert.Equal(10, picked);
    }

    [Fact]
    public void NoResult_NotAvailable()
    {
        var cut = Render<PatchInspector>(p => p.Add(v => v.UnavailableReason, "no image yet"));

        Assert.Equal("not available: no image yet", cut.Find("[data-testid=inspector-unavailable]").TextContent);
    }
}
