using ArrCoc.Engine.Analysis;
using ArrCoc.Engine.Service;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SixLabors.ImageSharp.PixelFormats;

namespace ArrCoc.Engine.Tests.Service;

/// <summary>The engine service in a started generic host, configured small (4 × 4 grid, D = 64) so tests are quick.</summary>
internal sealed class EngineHost : IAsyncDisposable
{
    readonly IHost host;

    EngineHost(IHost host) => this.host = host;

    public EngineService Engine => host.Services.GetRequiredService<EngineService>();

    public InferenceQueue Queue => host.Services.GetRequiredService<InferenceQueue>();

    public ModelHost Model => host.Services.GetRequiredService<ModelHost>();

    public static Dictionary<string, string?> SmallSettings() => new()
    {
        ["ArrCoc:Grid"] = "4",
        ["ArrCoc:K"] = "5",
        ["ArrCoc:FallbackQueryDim"] = "64",
        ["Engine:QueueCapacity"] = "3",
    };

    public static async Task<EngineHost> StartAsync(IModelLoader? loader = null, Dictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings ?? SmallSettings());
        if (loader is not null) builder.Services.AddSingleton(loader);
        configure?.Invoke(builder.Services);
        builder.Services.AddLogging();
        builder.Services.AddEngine();
        var host = builder.Build();
        await host.StartAsync();
        return new EngineHost(host);
    }

    /// <summary>Wait until the model host reaches a state (it loads in the background).</summary>
    public async Task<ModelStatus> WaitForModelAsync(ModelState state)
    {
        for (int i = 0; i < 6000 && Model.Status.State != state; i++) await Task.Delay(10);
        Assert.Equal(state, Model.Status.State);
        return Model.Status;
    }

    public Task<ImageHandle> LoadAsync(string name = "test.png") =>
        Engine.LoadImageAsync(new ImageInput(TestFiles.SolidPng(64, 48, new Rgb24(200, 30, 30)), name));

    /// <summary>Occupy the worker until the returned gate is released.</summary>
    public async Task<(SemaphoreSlim Gate, Task Job)> BlockWorkerAsync()
    {
        var gate = new SemaphoreSlim(0);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var job = Queue.EnqueueAsync("block", (_, _) => { started.SetResult(); gate.Wait(); return 0; }, null, CancellationToken.None);
        await started.Task;
        return (gate, job);
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}
