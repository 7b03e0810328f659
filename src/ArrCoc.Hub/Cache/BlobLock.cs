using Polly;
using Polly.Retry;

namespace ArrCoc.Hub;

/// <summary>
/// An exclusive lock on {cache}/.locks/{repo folder}/{etag}.lock while a blob is written. .NET takes
/// flock(LOCK_EX) for FileShare.None on Unix, the same lock Python's filelock takes, so an arrcoc download and
/// a Python download of the same blob wait for each other.
/// </summary>
internal sealed class BlobLock : IDisposable
{
    readonly FileStream stream;

    BlobLock(FileStream stream) => this.stream = stream;

    public static async Task<BlobLock> AcquireAsync(string lockPath, TimeSpan wait, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
        var poll = TimeSpan.FromMilliseconds(250);
        var pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<IOException>(),
                BackoffType = DelayBackoffType.Constant,
                Delay = poll,
                MaxRetryAttempts = Math.Max(1, (int)(wait / poll)),
            })
            .Build();
        try
        {
            return await pipeline.ExecuteAsync(_ => ValueTask.FromResult(
                new BlobLock(new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))), ct).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new IOException($"another process has been downloading into the cache for {wait.TotalMinutes:0} min (lock {lockPath}); " +
                "wait for it to finish, or delete the lock file if no download is running.", e);
        }
    }

    public void Dispose() => stream.Dispose(); // the lock file stays, as huggingface_hub leaves it
}
