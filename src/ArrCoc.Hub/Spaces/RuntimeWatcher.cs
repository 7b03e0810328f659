using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace ArrCoc.Hub;

/// <summary>
/// Polls GET .../runtime (Polly: retry while the stage still moves, at a constant interval, under an overall
/// timeout) until the Space is RUNNING or stopped in another final stage (BUILD_ERROR, RUNTIME_ERROR,
/// CONFIG_ERROR, NO_APP_FILE, ...). Reports each new stage.
/// </summary>
public sealed class RuntimeWatcher(SpaceClient spaces)
{
    public async Task<SpaceRuntime> WaitAsync(RepoId space, TimeSpan interval, TimeSpan timeout, Action<SpaceRuntime>? onStage, CancellationToken ct)
    {
        string? lastStage = null;
        var pipeline = new ResiliencePipelineBuilder<SpaceRuntime>()
            .AddTimeout(timeout)
            .AddRetry(new RetryStrategyOptions<SpaceRuntime>
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { IsMoving: true }),
                BackoffType = DelayBackoffType.Constant,
                Delay = interval,
                MaxRetryAttempts = int.MaxValue,
            })
            .Build();
        try
        {
            return await pipeline.ExecuteAsync(async token =>
            {
                var runtime = await spaces.GetRuntimeAsync(space, token).ConfigureAwait(false);
                if (runtime.Stage != lastStage) onStage?.Invoke(runtime);
                lastStage = runtime.Stage;
                return runtime;
            }, ct).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException e)
        {
            throw new DeployException($"Space {space} was still {lastStage} after {timeout.TotalMinutes:0} min; it may still come up: " +
                $"watch {spaces.Hub.Urls.Page(RepoKind.Space, space)}.", e);
        }
    }
}
