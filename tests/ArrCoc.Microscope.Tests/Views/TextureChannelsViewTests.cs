using ArrCoc.Core.Texture;
using ArrCoc.Microscope.Components.Views;
using Bunit;
using Plotly.Blazor;
using Plotly.Blazor.Traces;

namespace ArrCoc.Microscope.Tests.Views;

public class TextureChannelsViewTests : MicroscopeContext
{
    [Fact]
    public void Render_WithResult_Shows13ChannelsGroupedByMeaningAndOneLargeMap()
    {
        var cut = Render<TextureChannelsView>(p => p.Add(v => v.Result, Results.Analysis()));

        foreach (var (group, channels) in TextureChannels.Groups)
            Assert.Equal(channels.Select(TextureChannels.RegistryName),
                cut.FindAll($"[data-testid=texture-group-{group}] .texture-tile").Select(t => t.GetAttribute("data-testid")));
        Assert.Equal(14, cut.FindComponents<PlotlyChart>().Count);
        Assert.Equal(TextureChannels.SobelMagnitude.ToString(), cut.Find("[data-testid=texture-enlarged]").GetAttribute("data-channel"));
    }

    [Fact]
    public void Enlarge_AChannel_ShowsItLargeWithItsMeaningAndColourBar()
    {
        var result = Results.Analysis();
        var cut = Render<TextureChannelsView>(p => p.Add(v => v.Result, result));

        cut.Find($"[data-testid='{TextureChannels.RegistryName(TextureChannels.Eccentricity)}-enlarge']").Click();

        var enlarged = cut.Find("[data-testid=texture-enlarged]");
        Assert.Equal(TextureChannels.Eccentricity.ToString(), enlarged.GetAttribute("data-channel"));
        Assert.Contains(TextureChannels.Descriptions[TextureChannels.Eccentricity], enlarged.TextContent);
        var large = (HeatMap)cut.FindComponents<PlotlyChart>().Last().Instance.Data[0];
        Assert.True(large.ShowScale);
        Assert.Equal(Math.Round(result.Relevance.Texture[TextureChannels.Eccentricity][6], 4), ((double?[])large.Z[1])[1]);
    }

    [Fact]
    public void Render_WithoutResult_SaysWhyNotAvailable()
    {
        var cut = Render<TextureChannelsView>(p => p.Add(v => v.UnavailableReason, "no analysis yet: press Analyze"));

        Assert.Equal("not available: no analysis yet: press Analyze", cut.Find("[data-testid=view-texture-unavailable]").TextContent);
    }
}
