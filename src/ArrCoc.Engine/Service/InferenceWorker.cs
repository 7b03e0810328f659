using ArrCoc.Engine.Images;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ArrCoc.Engine.Service;

/// <summary>
/// The one inference worker: a dedicated thread that takes jobs from the <see cref="InferenceQueue"/> in order and
/// runs them one at a time (the models are not thread-safe). Images let go during a job are disposed after it.
/// </summary>
public sealed class InferenceWorker(
    InferenceQueue queue,
    ImageStore images,
    ModelHost model,
    IOptions<ArrCocOptions> options,
    IOptions<ImageLimitsOptions> limits,
    ILogger<InferenceWorker> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    void Run(CancellationToken stopping)
    {
        var context = new WorkerContext(options.Value, limits.Value, model, images);
        logger.LogInformation("inference worker started (queue capacity {Capacity})", queue.Capacity);
        try
        {
            while (Next(stopping) is { } job)
            {
                logger.LogDebug("running {Job}", job.Name);
                images.BeginJob();
                try
                {
                    job.Run(context, stopping);
                }
                finally
                {
                    images.EndJob();
                }
            }
        }
        finally
        {
            queue.Complete();
            images.Clear();
            logger.LogInformation("inference worker stopped");
        }
    }

    InferenceJob? Next(CancellationToken stopping)
    {
        try
        {
            return queue.TakeAsync(stopping).AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return null;
        }
    }
}
