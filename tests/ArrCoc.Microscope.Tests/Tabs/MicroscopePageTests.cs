using ArrCoc.Microscope.Components.Pages;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace ArrCoc.Microscope.Tests.Tabs;

public class MicroscopePageTests : MicroscopeContext
{

    [Fact]
    public async Task TabInTheUrl_OpensThatTab()
    {
        await StartEngineAsync();
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        Services.GetRequiredService<NavigationManager>().NavigateTo("/?tab=knowing");

        var cut = RenderWithProviders<Components.Pages.Microscope>();

        Assert.NotEmpty(cut.FindAll("[data-testid=knowing-controls]"));
        Assert.Equal("not available: no image yet: upload one or choose a sample on the Ask tab",
            cut.Find("[data-testid=view-balanced-unavailable]").TextContent);
    }

    [Fact]
    public async Task ClickingATab_PutsItInTheUrl()
    {
        await StartEngineAsync();
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var navigation = Services.GetRequiredService<NavigationManager>();
        var cut = RenderWithProviders<Components.Pages.Microscope>();

        await cut.InvokeAsync(() => cut.FindAll(".mud-tab").Single(t => t.TextContent.Contains("Attending")).Click());

        cut.WaitForAssertion(() => Assert.EndsWith("?tab=attending", navigation.Uri), TimeSpan.FromSeconds(30));
    }
}
