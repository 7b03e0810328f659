namespace ArrCoc.Engine.Service;

/// <summary>A piece of work for the inference worker, with its caller's cancellation and queue-position reports.</summary>
internal abstract class InferenceJob(string name, IProgress<int>? position, CancellationToken cancellationToken)
{
    int lastPosition = -1;

    public string Name { get; } = name;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>Its node in the waiting list; null once it has started or was withdrawn.</summary>
    public LinkedListNode<InferenceJob>? Node { get; set; }

    public CancellationTokenRegistration Registration { get; set; }

    /// <summary>Tell the caller its position: n ≥ 1 = n-th in line, 0 = running. Repeats are not reported.</summary>
    public void ReportPosition(int value)
    {
        if (Interlocked.Exchange(ref lastPosition, value) != value) position?.Report(value);
    }

    /// <summary>Run on the worker thread; <paramref name="stopping"/> fires when the app shuts down.</summary>
    public abstract void Run(WorkerContext context, CancellationToken stopping);

    /// <summary>Withdrawn before it ran.</summary>
    public abstract void Cancel();

    /// <summary>Never run: the worker has stopped.</summary>
    public abstract void Abandon();
}

internal sealed class InferenceJob<T>(string name, Func<WorkerContext, CancellationToken, T> work, IProgress<int>? position, CancellationToken cancellationToken)
    : InferenceJob(name, position, cancellationToken)
{
    readonly TaskCompletionSource<T> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<T> Task => completion.Task;

    public override void Run(WorkerContext context, CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(CancellationToken, stopping);
        try
        {
            linked.Token.ThrowIfCancellationRequested();
            completion.TrySetResult(work(context, linked.Token));
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            completion.TrySetCanceled(CancellationToken.IsCancellationRequested ? CancellationToken : stopping);
        }
        catch (Exception e)
        {
            completion.TrySetException(e);
        }
        finally
        {
            Registration.Dispose();
        }
    }

    public override void Cancel() => completion.TrySetCanceled(CancellationToken);

    public override void Abandon() => completion.TrySetException(new OperationCanceledException("the engine stopped before this request ran"));
}
