using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ArrCoc.Engine.Service;

/// <summary>
/// Brings the language model up in the background at startup (startup never waits for it) through the registered
/// <see cref="IModelLoader"/>, and publishes its <see cref="ModelStatus"/> to subscribers as it changes.
/// </summary>
public sealed class ModelHost : BackgroundService
{
    readonly IModelLoader loader;
    readonly ILogger<ModelHost> logger;
    readonly object gate = new();
    readonly List<Action<ModelStatus>> subscribers = [];
    ModelStatus status;
    IAnswerer? answerer;

    public ModelHost(IModelLoader loader, IOptions<EngineOptions> engine, IOptions<ArrCocOptions> arrCoc, ILogger<ModelHost> logger)
    {
        this.loader = loader;
        this.logger = logger;
        var configured = engine.Value.Model;
        status = new ModelStatus
        {
            State = string.IsNullOrWhiteSpace(configured) ? ModelState.NotConfigured : ModelState.Loading,
            ModelId = string.IsNullOrWhiteSpace(configured) ? null : configured,
            Device = engine.Value.Device,
            Dtype = Integration.ModelDevice.DtypeName(engine.Value.Device, engine.Value.Dtype),
            Detail = string.IsNullOrWhiteSpace(configured) ? ModelStatus.NotConfiguredReason : null,
            Checkpoint = CheckpointChoice.From(arrCoc.Value).Label,
            K = arrCoc.Value.K,
            QueryEmbedding = Query.FallbackQueryEmbedder.SourceName,
        };
    }

    public ModelStatus Status
    {
        get { lock (gate) return status; }
    }

    /// <summary>The ready answerer, or null.</summary>
    public IAnswerer? Answerer
    {
        get { lock (gate) return answerer; }
    }

    /// <summary>Call <paramref name="onChange"/> (on the loader's thread) whenever the status changes; dispose to stop.</summary>
    public IDisposable Subscribe(Action<ModelStatus> onChange)
    {
        lock (gate) subscribers.Add(onChange);
        return new Subscription(() => { lock (gate) subscribers.Remove(onChange); });
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            var ready = await loader.LoadAsync(new SyncProgress<ModelLoadReport>(Report), stoppingToken).ConfigureAwait(false);
            if (ready is null) return;
            Publish(s => s with
            {
                State = ModelState.Ready, ModelId = ready.ModelId, Detail = null, Fraction = null,
                QueryEmbedding = ready.QueryEmbedder?.Source ?? s.QueryEmbedding,
            }, ready);
            logger.LogInformation("model {Model} ready", ready.ModelId);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogError(e, "model failed to load");
            Publish(s => s with { State = ModelState.Failed, Detail = e.Message, Fraction = null });
        }
    }

    void Report(ModelLoadReport report) =>
        Publish(s => s with { State = report.State, Detail = report.Detail, Fraction = report.Fraction });

    void Publish(Func<ModelStatus, ModelStatus> change, IAnswerer? ready = null)
    {
        ModelStatus next;
        Action<ModelStatus>[] targets;
        lock (gate)
        {
            status = next = change(status);
            if (ready is not null) answerer = ready;
            targets = [.. subscribers];
        }
        foreach (var target in targets) target(next);
    }

    public override void Dispose()
    {
        Answerer?.Dispose();
        base.Dispose();
    }

    sealed class Subscription(Action dispose) : IDisposable
    {
        int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0) dispose();
        }
    }
}
