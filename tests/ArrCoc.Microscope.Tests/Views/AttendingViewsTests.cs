using ArrCoc.Microscope.Components.Views;
using Bunit;
using Plotly.Blazor;
using Plotly.Blazor.Traces;

namespace ArrCoc.Microscope.Tests.Views;

public class AttendingViewsTests : MicroscopeContext
{
    [Fact]
    public void Weights_OneQuery_ThreeBarsNoTernary()
    {
        var cut = Render<WeightsView>(p => p.Add(v => v.Series, [WeightSeries.Of(Results.Analysis())]));

        var bar = Assert.IsType<Bar>(Assert.Single(cut.FindComponent<PlotlyChart>().Instance.Data));
        Assert.Equal(["information", "perspectival", "participatory"], bar.X);
        Assert.Equal([0.2, 0.3, 0.5], bar.Y.Select(y => Math.Round((double)y, 3)));
        Assert.Empty(cut.FindAll("[data-testid=view-weights-ternary]"));
    }

    [Fact]
    public void Weights_SeveralQueries_BarsSideBySideAndATernaryPoint()
    {
        var series = new[] { WeightSeries.Of(Results.Analysis(question: "a")), WeightSeries.Of(Results.Analysis(question: "b", weights: [0.6f, 0.3f, 0.1f])) };

        var cut = Render<WeightsView>(p => p.Add(v => v.Series, series));

        var charts = cut.FindComponents<PlotlyChart>();
        Assert.Equal(2, charts[0].Instance.Data.Count);
        var ternary = charts[1].Instance.Data.Cast<ScatterTernary>().ToList();
        Assert.Equal(["a", "b"], ternary.Select(t => t.Name));
        Assert.Equal(0.6f, ternary[1].A.Single());
        Assert.Equal(2, cut.FindAll("[data-testid=view-weights-table] tbody tr").Count);
    }

    [Fact]
    public void Weights_NoSeries_NotAvailable()
    {
        var cut = Render<WeightsView>(p => p.Add(v => v.UnavailableReason, "no analysis yet"));

        Assert.Equal("not available: no analysis yet", cut.Find("[data-testid=view-weights-unavailable]").TextContent);
    }

    [Fact]
    public void Selection_ShowsKAndVeilsRejectedCellsAndTintsKeptByBudget()
    {
        var result = Results.Analysis(rows: 2, columns: 3, k: 2);

        var cut = Render<SelectionView>(p => p.Add(v => v.Result, result).Add(v => v.Image, Results.Image(2, 3)));

        Assert.Contains("K = 2", cut.Find("[data-testid=view-selection-k]").TextContent);
        Assert.Contains("kept 2 of 6 cells", cut.Find("[data-testid=view-selection-k]").TextContent);
        var data = cut.FindComponent<PlotlyChart>().Instance.Data.Cast<HeatMap>().ToList();
        Assert.Equal([1, 1, 1], (double?[])data[0].Z[0]);
        Assert.Equal([1, null, null], (double?[])data[0].Z[1]);
        Assert.Equal([null, 333, 400], (double?[])data[1].Z[1]);
        Assert.Equal("LOD budget", data[1].ColorBar.Title.Text);
        Assert.Equal("kept, rank 1, budget 400", ((string[])data[1].Text[1])[2]);
    }

    [Fact]
    public void Selection_WithoutResult_NotAvailable()
    {
        var cut = Render<SelectionView>(p => p.Add(v => v.UnavailableReason, "no image yet"));

        Assert.Equal("not available: no image yet", cut.Find("[data-testid=view-selection-unavailable]").TextContent);
    }

    [Fact]
    public void Positions_FromARecord_PlotsKeptTokensAndListsThePromptTable()
    {
        var result = Results.Analysis(rows: 4, columns: 5, k: 3);
        var table = Results.Positions(result);

        var cut = Render<PositionsView>(p => p.Add(v => v.Table, table));

        Assert.Equal("6 tokens in the prompt: 3 image, 3 text", cut.Find("[data-testid=view-positions-summary]").TextContent.Trim());
        var scatter = Assert.IsType<Scatter>(Assert.Single(cut.FindComponent<PlotlyChart>().Instance.Data));
        Assert.Equal([4, 5, 6], scatter.X.Cast<int>());
        Assert.Equal([5, 5, 5], scatter.Y.Cast<int>());
        var rows = cut.FindAll("[data-testid=view-positions-table] tbody tr").Select(r => r.TextContent).ToList();
        Assert.Contains(rows, r => r.Contains("<|image_pad|>") && r.Contains("(3, 2)"));
        Assert.Contains(rows, r => r.Contains("Where"));
    }

    [Fact]
    public void Positions_NoModel_SaysSo()
    {
        var cut = Render<PositionsView>(p => p.Add(v => v.UnavailableReason, "no model loaded"));

        Assert.Equal("not available: no model loaded", cut.Find("[data-testid=view-positions-unavailable]").TextContent);
    }
}
