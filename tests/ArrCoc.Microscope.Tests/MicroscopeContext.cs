using ArrCoc.Engine.Service;
using ArrCoc.Microscope.Export;
using ArrCoc.Microscope.Hosting;
using ArrCoc.Microscope.State;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MudBlazor;
using MudBlazor.Services;

namespace ArrCoc.Microscope.Tests;

/// <summary>
/// A bUnit context with MudBlazor, Plotly.Blazor (loose JS interop: charts are not drawn, their inputs are checked) and,
/// for the tab tests, the real engine service (4 × 5 grid, D = 64; a fake answerer when asked for). Disposed
/// asynchronously, as MudBlazor's services need.
/// </summary>
public abstract class MicroscopeContext : BunitContext, IAsyncLifetime
{
    readonly List<IHostedService> started = [];

    protected MicroscopeContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddLogging();
        Services.AddScoped<Downloads>();
    }

    /// <summary>The engine with its worker started; the session state, compare state and messages of one circuit.</summary>
    private protected async Task<EngineService> StartEngineAsync(FakeAnswerer? answerer = null, Dictionary<string, string?>? settings = null,
        string? fixtureModel = null)
    {
        settings ??= new Dictionary<string, string?>
        {
            ["ArrCoc:Grid"] = "4x5",
            ["ArrCoc:K"] = "6",
            ["ArrCoc:FallbackQueryDim"] = "64",
            ["ArrCoc:MaxQuestionChars"] = "40",
        };
        if (fixtureModel is not null)
        {
            // The real Qwen3-VL integration on the project's tiny fixture checkpoint.
            settings["Engine:Model"] = fixtureModel;
            settings["Engine:MaxAnswerTokens"] = "8";
            Services.AddOptions<Hub.HubOptions>();
            Services.AddSingleton<IModelLoader, Engine.Integration.QwenModelLoader>();
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        Services.AddSingleton<IConfiguration>(configuration);
        if (answerer is not null) Services.AddSingleton<IModelLoader>(new FakeModelLoader(answerer));
        Services.AddEngine();
        Services.AddOptions<MicroscopeOptions>();
        Services.AddSingleton<DisplayImages>();
        Services.AddSingleton(sp => new SampleCatalog(Path.Combine(RepositoryPaths.Root, "samples"), sp.GetRequiredService<ILogger<SampleCatalog>>()));
        Services.AddScoped<UserMessages>();
        Services.AddScoped<MicroscopeState>();
        Services.AddScoped<CompareState>();
        foreach (var service in Services.GetServices<IHostedService>())
        {
            await service.StartAsync(CancellationToken.None);
            started.Add(service);
        }
        var engine = Services.GetRequiredService<EngineService>();
        if (answerer is not null || fixtureModel is not null)
            for (int i = 0; i < 6000 && !engine.ModelStatus.CanAnswer; i++) await Task.Delay(10);
        return engine;
    }

    /// <summary>Render a component below the popover provider (tooltips, selects) as the layout does.</summary>
    protected IRenderedComponent<TComponent> RenderWithProviders<TComponent>() where TComponent : IComponent
    {
        Render<MudPopoverProvider>();
        return Render<TComponent>();
    }

    protected ISnackbar Snackbar => Services.GetRequiredService<ISnackbar>();

    protected IEnumerable<string> Messages => Snackbar.ShownSnackbars.Select(s => s.Message ?? "");

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        foreach (var service in Enumerable.Reverse(started)) await service.StopAsync(CancellationToken.None);
    }
}
