using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace ArrCoc.Engine.Service;

/// <summary>
/// The bounded first-in-first-out queue in front of the single inference worker. At most
/// <see cref="EngineOptions.QueueCapacity"/> requests wait (one more gets <see cref="EngineBusyException"/>); each
/// waiting request hears its position whenever it changes (n = n-th in line, 0 = running); a request cancelled while
/// waiting leaves the line at once and the others move up.
/// </summary>
public sealed class InferenceQueue(IOptions<EngineOptions> options)
{
    readonly Channel<InferenceJob> channel = Channel.CreateBounded<InferenceJob>(
        new BoundedChannelOptions(options.Value.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    readonly LinkedList<InferenceJob> waiting = [];
    readonly object gate = new();
    readonly object reportGate = new(); // keeps each request's position reports in order

    /// <summary>Requests that may wait, e.g. 16.</summary>
    public int Capacity { get; } = options.Value.QueueCapacity;

    /// <summary>Requests waiting now (not counting the running one).</summary>
    public int Waiting
    {
        get { lock (gate) return waiting.Count; }
    }

    /// <summary>
    /// Queue <paramref name="work"/> for the worker thread. Throws <see cref="EngineBusyException"/> when the line is
    /// full. The task completes with the work's result, its exception, or cancelled.
    /// </summary>
    internal Task<T> EnqueueAsync<T>(string name, Func<WorkerContext, CancellationToken, T> work, IProgress<int>? position, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var job = new InferenceJob<T>(name, work, position, cancellationToken);
        // Registered before the worker can see the job, so the worker always disposes the real registration.
        job.Registration = cancellationToken.Register(() => Withdraw(job));
        lock (gate)
        {
            // A withdrawn job keeps its channel slot until the worker skips it, so the channel can be full while
            // fewer than Capacity wait: that is busy too (briefly, until the worker drains it).
            if (waiting.Count >= Capacity || !channel.Writer.TryWrite(job))
            {
                job.Registration.Dispose();
                throw new EngineBusyException(Capacity);
            }
            job.Node = waiting.AddLast(job);
        }
        if (cancellationToken.IsCancellationRequested) Withdraw(job); // cancelled before it was in line
        else ReportPositions();
        return job.Task;
    }

    /// <summary>The next job to run (worker thread); null when the queue is completed.</summary>
    internal async ValueTask<InferenceJob?> TakeAsync(CancellationToken stopping)
    {
        while (await channel.Reader.WaitToReadAsync(stopping).ConfigureAwait(false))
            while (channel.Reader.TryRead(out var job))
                if (Start(job)) return job;
        return null;
    }

    /// <summary>Stop taking work; every waiting request fails (the app is shutting down).</summary>
    internal void Complete()
    {
        InferenceJob[] abandoned;
        lock (gate)
        {
            channel.Writer.TryComplete();
            abandoned = [.. waiting];
            foreach (var job in abandoned) job.Node = null;
            waiting.Clear();
        }
        foreach (var job in abandoned)
        {
            job.Registration.Dispose();
            job.Abandon();
        }
    }

    bool Start(InferenceJob job)
    {
        lock (gate)
        {
            if (job.Node is null) return false; // withdrawn while waiting
            waiting.Remove(job.Node);
            job.Node = null;
        }
        lock (reportGate) job.ReportPosition(0);
        ReportPositions();
        return true;
    }

    void Withdraw(InferenceJob job)
    {
        lock (gate)
        {
            if (job.Node is null) return; // already running (it sees its token) or finished
            waiting.Remove(job.Node);
            job.Node = null;
        }
        job.Cancel();
        ReportPositions();
    }

    void ReportPositions()
    {
        lock (reportGate)
        {
            InferenceJob[] snapshot;
            lock (gate) snapshot = [.. waiting];
            for (int i = 0; i < snapshot.Length; i++) snapshot[i].ReportPosition(i + 1);
        }
    }
}
