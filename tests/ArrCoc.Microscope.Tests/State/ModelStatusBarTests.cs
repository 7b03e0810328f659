using ArrCoc.Microscope.Components.Layout;
using Bunit;

namespace ArrCoc.Microscope.Tests.State;

public class ModelStatusBarTests : MicroscopeContext
{
    [Fact]
    public async Task NoModel_ShowsMicroscopeOnlyWithTheReason()
    {
        await StartEngineAsync();

        var cut = Render<ModelStatusBar>();

        Assert.Equal("NotConfigured", cut.Find("[data-testid=model-status]").GetAttribute("data-state"));
        Assert.Contains("microscope only", cut.Find("[data-testid=model-state]").TextContent);
        Assert.Contains("Engine:Model", cut.Find("[data-testid=model-detail]").TextContent);
        Assert.Contains("untrained (seed 0)", cut.Markup);
        Assert.Contains("K</b> 6", cut.Markup);
    }

    [Fact]
    public async Task ModelBecomesReady_BarFollows()
    {
        await StartEngineAsync(new FakeAnswerer());

        var cut = Render<ModelStatusBar>();

        cut.WaitForAssertion(() => Assert.Equal("ready", cut.Find("[data-testid=model-state]").TextContent.Trim()));
        Assert.Contains(FakeAnswerer.Id, cut.Markup);
    }
}
