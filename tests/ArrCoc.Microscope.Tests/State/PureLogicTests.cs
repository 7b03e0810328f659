using ArrCoc.Core.Balancing;
using ArrCoc.Microscope.Components.Charts;
using ArrCoc.Microscope.Inspection;
using ArrCoc.Microscope.State;

namespace ArrCoc.Microscope.Tests.State;

public class PureLogicTests
{
    [Fact]
    public void Ranks_HighestFirst_TiesToTheLowerIndex() =>
        Assert.Equal([2, 1, 3, 4], CellFacts.Ranks([0.5f, 0.9f, 0.5f, 0.1f]));

    [Fact]
    public void Jaccard_CountsSharedOverUnion()
    {
        Assert.Equal(0.5, SelectionOverlap.Jaccard([1, 2, 3], [2, 3, 4]));
        Assert.Equal(1, SelectionOverlap.Jaccard([], []));
        var matrix = SelectionOverlap.Matrix([[1, 2], [2, 3], [7]]);
        Assert.Equal([1, 1.0 / 3, 0], matrix[0]);
        Assert.Equal(matrix[0][1], matrix[1][0]);
    }

    [Fact]
    public void KnowingControls_SwitchesAndManualWeights_BecomeTheOverride()
    {
        var controls = KnowingControls.Learned.WithEnabled(WayOfKnowing.Perspectival, false);
        Assert.Equal([WayOfKnowing.Perspectival], controls.ToOverride().Disabled);
        Assert.Null(controls.ToOverride().FixedWeights);
        Assert.False(controls.IsLearned);

        var manual = (controls with { ManualWeights = true }).WithWeight(WayOfKnowing.Information, 0.9);
        Assert.Equal([0.9, 1.0 / 3, 1.0 / 3], manual.ToOverride().FixedWeights);
        Assert.True(KnowingControls.Learned.ToOverride().IsNone);
    }

    [Theory]
    [InlineData(2, 1, 7)]
    [InlineData(2.2, 0.8, 7)]
    [InlineData(-1, 0, null)]
    [InlineData(5, 0, null)]
    public void CellAt_ClickCoordinates_GiveTheCell(double x, double y, int? expected) =>
        Assert.Equal(expected, PlotlyGrid.CellAt(x, y, rows: 4, columns: 5));

    [Fact]
    public void Heatmap_WrongNumberOfValues_SaysBothNumbers()
    {
        var error = Assert.Throws<ArgumentException>(() => PlotlyGrid.Heatmap(new double?[5], 2, 3, "v", PlotlyGrid.Viridis));
        Assert.Contains("needs 6 values; got 5", error.Message);
    }
}
