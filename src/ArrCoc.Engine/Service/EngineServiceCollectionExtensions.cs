using ArrCoc.Engine.Images;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ArrCoc.Engine.Service;

public static class EngineServiceCollectionExtensions
{
    /// <summary>
    /// The engine service: options "ArrCoc", "ImageLimits" and "Engine" bound and validated at startup, the model host
    /// (loads in the background through <see cref="IModelLoader"/>; <see cref="NoModelLoader"/> unless one is
    /// registered first), the bounded queue, the single inference worker and <see cref="EngineService"/>.
    /// </summary>
    public static IServiceCollection AddEngine(this IServiceCollection services)
    {
        services.AddOptions<ArrCocOptions>().BindConfiguration(ArrCocOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => IsGrid(o.Grid, o.MaxCells), "ArrCoc:Grid must be a number (32), ROWSxCOLUMNS (24x40) or auto")
            .ValidateOnStart();
        services.AddOptions<ImageLimitsOptions>().BindConfiguration(ImageLimitsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EngineOptions>().BindConfiguration(EngineOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        services.TryAddSingleton<IModelLoader, NoModelLoader>();
        services.TryAddSingleton<ModelHost>();
        services.TryAddSingleton<ImageStore>();
        services.TryAddSingleton<CheckpointLibrary>();
        services.TryAddSingleton<InferenceQueue>();
        services.TryAddSingleton<InferenceWorker>();
        services.TryAddSingleton<EngineService>();
        // Registration order is start order (and reverse stop order): the worker stops before the model is disposed.
        services.AddHostedService(sp => sp.GetRequiredService<ModelHost>());
        services.AddHostedService(sp => sp.GetRequiredService<InferenceWorker>());
        return services;
    }

    static bool IsGrid(string grid, int maxCells)
    {
        try
        {
            GridSpec.Parse(grid, maxCells);
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return false;
        }
    }
}
