using ArrCoc.Microscope.Components.Charts;
using ArrCoc.Microscope.Components.Views;
using Bunit;
using Plotly.Blazor;
using Plotly.Blazor.Interop;
using Plotly.Blazor.Traces;

namespace ArrCoc.Microscope.Tests.Views;

public class MapViewTests : MicroscopeContext
{
    [Theory]
    [InlineData(MapKind.Information, "view-information", "knowing.information")]
    [InlineData(MapKind.Perspectival, "view-perspectival", "knowing.perspectival")]
    [InlineData(MapKind.Participatory, "view-participatory", "knowing.participatory")]
    [InlineData(MapKind.Balanced, "view-balanced", "relevance.balanced")]
    public void Render_WithResult_DrawsOneValuePerCellWithColourBarAndHover(MapKind kind, string testId, string registry)
    {
        var result = Results.Analysis(rows: 4, columns: 5);

        var cut = Render<MapView>(p => p.Add(v => v.Kind, kind).Add(v => v.Result, result));

        Assert.Equal("true", cut.Find($"[data-testid={testId}]").GetAttribute("data-available"));
        Assert.Contains(registry, cut.Markup);
        var heatmap = Assert.IsType<HeatMap>(Assert.Single(cut.FindComponent<PlotlyChart>().Instance.Data));
        Assert.Equal(4, heatmap.Z.Count);
        Assert.All(heatmap.Z, row => Assert.Equal(5, ((double?[])row).Length));
        Assert.True(heatmap.ShowScale);
        Assert.Contains("%{z:.3f}", heatmap.HoverTemplate);
        Assert.Null(cut.FindComponent<PlotlyChart>().Instance.Layout.Images);
    }

    [Fact]
    public void Render_Balanced_ShowsTheCellValuesInRasterOrder()
    {
        var result = Results.Analysis(rows: 2, columns: 3);

        var cut = Render<MapView>(p => p.Add(v => v.Kind, MapKind.Balanced).Add(v => v.Result, result));

        var z = ((HeatMap)cut.FindComponent<PlotlyChart>().Instance.Data[0]).Z;
        Assert.Equal([0, 0.2, 0.4], (double?[])z[0]);
        Assert.Equal([0.6, 0.8, 1], (double?[])z[1]);
    }

    [Theory]
    [InlineData(MapKind.Information, "view-information")]
    [InlineData(MapKind.Participatory, "view-participatory")]
    public void Render_WithoutResult_SaysWhyNotAvailable(MapKind kind, string testId)
    {
        var cut = Render<MapView>(p => p.Add(v => v.Kind, kind).Add(v => v.UnavailableReason, "no image yet"));

        Assert.Equal("false", cut.Find($"[data-testid={testId}]").GetAttribute("data-available"));
        Assert.Equal("not available: no image yet", cut.Find($"[data-testid={testId}-unavailable]").TextContent);
        Assert.Empty(cut.FindComponents<PlotlyChart>());
    }

    [Fact]
    public void OverImage_Switched_DrawsTheImageBelowWithAdjustableOpacity()
    {
        var image = Results.Image();
        var cut = Render<MapView>(p => p.Add(v => v.Kind, MapKind.Participatory).Add(v => v.Result, Results.Analysis()).Add(v => v.Image, image));

        cut.Find("input[data-testid=view-participatory-overlay], [data-testid=view-participatory-overlay] input").Change(true);

        var chart = cut.FindComponent<PlotlyChart>().Instance;
        Assert.Equal($"images/{image.Id:N}.png", Assert.Single(chart.Layout.Images).Source);
        Assert.Equal(0.6m, ((HeatMap)chart.Data[0]).Opacity);
        Assert.NotEmpty(cut.FindAll("[data-testid=view-participatory-opacity]"));
    }

    [Fact]
    public async Task ClickOnACell_ReportsItsIndex()
    {
        int? selected = null;
        var cut = Render<MapView>(p => p.Add(v => v.Kind, MapKind.Balanced).Add(v => v.Result, Results.Analysis(rows: 4, columns: 5))
            .Add(v => v.OnCellSelected, cell => selected = cell));

        await cut.InvokeAsync(() => cut.FindComponent<ChartHost>().Instance.OnPointClick.InvokeAsync(new EventDataPoint { X = 3, Y = 2 }));

        Assert.Equal(2 * 5 + 3, selected);
    }

    [Fact]
    public void SelectedCell_IsFramed()
    {
        var cut = Render<MapView>(p => p.Add(v => v.Kind, MapKind.Balanced).Add(v => v.Result, Results.Analysis(rows: 4, columns: 5)).Add(v => v.SelectedCell, 7));

        var frame = Assert.Single(cut.FindComponent<PlotlyChart>().Instance.Layout.Shapes);
        Assert.Equal((1.5, 2.5, 0.5, 1.5), ((double)frame.X0, (double)frame.X1, (double)frame.Y0, (double)frame.Y1));
    }

    [Fact]
    public void UntrainedAndFallback_AreNoted()
    {
        var cut = Render<MapView>(p => p.Add(v => v.Kind, MapKind.Participatory).Add(v => v.Result, Results.Analysis()));

        Assert.Contains("untrained (seed 0)", cut.Find("[data-testid=view-participatory-untrained]").TextContent);
        Assert.Contains("fallback query embedding", cut.Markup);
    }
}
