using System.Collections.Concurrent;
using ArrCoc.Engine.Service;

namespace ArrCoc.Engine.Tests.Service;

public class InferenceQueueTests
{
    [Fact]
    public async Task Enqueue_WhileWorkerBusy_ReportsPositionsAndRunsInOrder()
    {
        await using var host = await EngineHost.StartAsync();
        var (gate, blocker) = await host.BlockWorkerAsync();
        var order = new ConcurrentQueue<int>();
        var positions = Enumerable.Range(0, 3).Select(_ => new ConcurrentQueue<int>()).ToArray();
        var jobs = Enumerable.Range(0, 3).Select(i => host.Queue.EnqueueAsync($"job {i}", (_, _) => { order.Enqueue(i); return i; },
            new SyncProgress<int>(positions[i].Enqueue), CancellationToken.None)).ToArray();

        Assert.Equal(3, host.Queue.Waiting);
        Assert.Equal([1], positions[0]);
        Assert.Equal([2], positions[1]);
        Assert.Equal([3], positions[2]);

        gate.Release();
        await blocker;
        int[] results = await Task.WhenAll(jobs);
        Assert.Equal([0, 1, 2], results);
        Assert.Equal([0, 1, 2], order);
        Assert.Equal([1, 0], positions[0]);
        Assert.Equal([2, 1, 0], positions[1]);
        Assert.Equal([3, 2, 1, 0], positions[2]);
    }

    [Fact]
    public async Task Enqueue_WhenFull_ThrowsBusyWithPoliteMessage()
    {
        await using var host = await EngineHost.StartAsync();
        var (gate, blocker) = await host.BlockWorkerAsync();
        var waiting = Enumerable.Range(0, 3).Select(i => host.Queue.EnqueueAsync("job", (_, _) => i, null, CancellationToken.None)).ToArray();

        var busy = Assert.Throws<EngineBusyException>(() => { _ = host.Queue.EnqueueAsync("one too many", (_, _) => 0, null, CancellationToken.None); });
        Assert.Contains("try again", busy.Message);
        Assert.Equal(3, busy.Capacity);

        gate.Release();
        await Task.WhenAll(waiting.Append(blocker));
    }

    [Fact]
    public async Task Cancel_WhileWaiting_LeavesTheLineAndOthersMoveUp()
    {
        await using var host = await EngineHost.StartAsync();
        var (gate, blocker) = await host.BlockWorkerAsync();
        using var cancel = new CancellationTokenSource();
        bool ran = false;
        var first = host.Queue.EnqueueAsync("cancelled", (_, _) => ran = true, null, cancel.Token);
        var secondPositions = new ConcurrentQueue<int>();
        var second = host.Queue.EnqueueAsync("second", (_, _) => 2, new SyncProgress<int>(secondPositions.Enqueue), CancellationToken.None);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.Equal(1, host.Queue.Waiting);
        Assert.Equal([2, 1], secondPositions);
        gate.Release();
        Assert.Equal(2, await second);
        await blocker;
        Assert.False(ran);
    }

    [Fact]
    public async Task Cancel_WhileRunning_TheWorkSeesItsToken()
    {
        await using var host = await EngineHost.StartAsync();
        using var cancel = new CancellationTokenSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var job = host.Queue.EnqueueAsync("long", (_, token) =>
        {
            started.SetResult();
            token.WaitHandle.WaitOne(TimeSpan.FromMinutes(1));
            token.ThrowIfCancellationRequested();
            return 0;
        }, null, cancel.Token);
        await started.Task;

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => job);
        Assert.Equal(7, await host.Queue.EnqueueAsync("next", (_, _) => 7, null, CancellationToken.None));
    }

    [Fact]
    public async Task Job_ThatThrows_FailsItsTaskAndTheWorkerGoesOn()
    {
        await using var host = await EngineHost.StartAsync();
        var failing = host.Queue.EnqueueAsync<int>("fails", (_, _) => throw new InvalidDataException("bad"), null, CancellationToken.None);

        Assert.Equal("bad", (await Assert.ThrowsAsync<InvalidDataException>(() => failing)).Message);
        Assert.Equal(1, await host.Queue.EnqueueAsync("next", (_, _) => 1, null, CancellationToken.None));
    }
}
