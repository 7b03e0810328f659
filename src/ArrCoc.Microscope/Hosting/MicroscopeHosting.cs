using ArrCoc.Engine.Integration;
using ArrCoc.Engine.Service;
using ArrCoc.Hub;
using ArrCoc.Microscope.Components;
using ArrCoc.Microscope.Export;
using ArrCoc.Microscope.State;
using MudBlazor.Services;

namespace ArrCoc.Microscope.Hosting;

/// <summary>The Microscope's registrations and endpoints, so Program.cs stays a few lines.</summary>
public static class MicroscopeHosting
{
    public static WebApplicationBuilder AddMicroscope(this WebApplicationBuilder builder)
    {
        // Static web assets (MudBlazor's CSS/JS, Blazor's script) resolve from the build output in every environment,
        // not only Development; a published app has them under its own wwwroot.
        builder.WebHost.UseStaticWebAssets();
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && !builder.Configuration.GetSection("Kestrel:Endpoints").Exists())
            builder.WebHost.UseUrls(MicroscopeOptions.DefaultUrl);

        var microscope = builder.Configuration.GetSection(MicroscopeOptions.Section).Get<MicroscopeOptions>() ?? new MicroscopeOptions();
        builder.Services.AddOptions<MicroscopeOptions>().BindConfiguration(MicroscopeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // The Qwen3-VL integration answers; without Engine:Model it reports "not configured" (microscope only).
        // The Hub token comes only from the environment (HF_TOKEN, as huggingface_hub reads it): configuration files
        // are part of the repository and of the Space's upload, so a token there is refused, not used.
        var configuredToken = builder.Configuration[$"{HubOptions.SectionName}:{nameof(HubOptions.Token)}"];
        builder.Services.AddOptions<HubOptions>().BindConfiguration(HubOptions.SectionName)
            .Validate(_ => string.IsNullOrEmpty(configuredToken),
                "Hub:Token is not read from configuration (appsettings files are uploaded with the app); set HF_TOKEN in the environment instead.")
            .ValidateOnStart();
        builder.Services.AddSingleton<IModelLoader, QwenModelLoader>();
        builder.Services.AddEngine();
        // The checkpoints folder is relative to the content root (the repository top, or the published app's folder).
        builder.Services.PostConfigure<EngineOptions>(engine =>
        {
            if (!string.IsNullOrWhiteSpace(engine.CheckpointsFolder))
                engine.CheckpointsFolder = Path.GetFullPath(engine.CheckpointsFolder, builder.Environment.ContentRootPath);
        });
        builder.Services.AddRazorComponents()
            .AddInteractiveServerComponents(circuits => circuits.DisconnectedCircuitRetentionPeriod = TimeSpan.FromSeconds(microscope.DisconnectedSessionSeconds))
            .AddHubOptions(hub => hub.MaximumReceiveMessageSize = microscope.MaxMessageBytes);
        builder.Services.AddMudServices();
        builder.Services.AddSingleton<DisplayImages>();
        builder.Services.AddSingleton(sp => new SampleCatalog(
            Path.Combine(builder.Environment.ContentRootPath, "samples"), sp.GetRequiredService<ILogger<SampleCatalog>>()));
        builder.Services.AddScoped<UserMessages>();
        builder.Services.AddScoped<MicroscopeState>();
        builder.Services.AddScoped<CompareState>();
        builder.Services.AddScoped<Downloads>();
        return builder;
    }

    public static WebApplication MapMicroscope(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment()) app.UseExceptionHandler("/error", createScopeForErrors: true);
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapHealthEndpoints();
        app.MapDisplayImages();
        return app;
    }
}
