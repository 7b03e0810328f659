using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace ArrCoc.Hub;

/// <summary>
/// Downloads one file into blobs/{etag}: GET the resolve URL (redirects by hand), append to
/// blobs/{etag}.incomplete (resuming with Range: bytes=N- when a partial exists, from this run or an earlier
/// one), check the size and the hash against the etag, then rename atomically. A broken transfer, a stalled
/// read or a hash mismatch is retried (Polly) with back-off; a transfer resumes where it stopped, a corrupt
/// one starts over.
/// </summary>
internal sealed class BlobDownloader(HubConnection hub, HubCache cache)
{
    static readonly TimeSpan LockWait = TimeSpan.FromMinutes(10);

    readonly ResiliencePipeline transfers = BuildPipeline(hub);

    /// <returns>Bytes received over the network.</returns>
    public async Task<long> DownloadAsync(RepoKind kind, RepoId repo, string commit, RepoFile file,
        IProgress<DownloadProgress>? progress, CancellationToken ct)
    {
        var blob = cache.BlobPath(repo, file.Etag, kind);
        Directory.CreateDirectory(Path.GetDirectoryName(blob)!);
        using var blobLock = await BlobLock.AcquireAsync(cache.LockPath(repo, file.Etag, kind), LockWait, ct).ConfigureAwait(false);
        if (File.Exists(blob) && new FileInfo(blob).Length == file.Size) return 0; // finished by another process meanwhile
        var reporter = new FileProgressReporter(progress, file.Path, file.Size);
        var received = 0L;
        await transfers.ExecuteAsync(async token => received += await AttemptAsync(kind, repo, commit, file, reporter, token).ConfigureAwait(false),
            ct).ConfigureAwait(false);
        File.Move(cache.IncompletePath(repo, file.Etag, kind), blob, overwrite: true);
        reporter.Report(file.Size, force: true);
        return received;
    }

    async Task<long> AttemptAsync(RepoKind kind, RepoId repo, string commit, RepoFile file, FileProgressReporter reporter, CancellationToken ct)
    {
        var partial = cache.IncompletePath(repo, file.Etag, kind);
        var offset = File.Exists(partial) ? new FileInfo(partial).Length : 0;
        if (offset > file.Size)
        {
            File.Delete(partial);
            offset = 0;
        }
        var context = new HubRequestContext("download", kind, repo, commit, file.Path);
        using var response = await hub.Sender.SendAsync(HttpMethod.Get, hub.Urls.Resolve(kind, repo, commit, file.Path), ct, request =>
        {
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("identity"));
            if (offset > 0) request.Headers.Range = new RangeHeaderValue(offset, null);
        }).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            File.Delete(partial);
            throw new IOException($"the server refused to resume {file.Path} at byte {offset}; starting it over.");
        }
        if (!response.IsSuccess) throw await hub.Errors.CreateAsync(response.Message, context, ct).ConfigureAwait(false);
        CheckHeaders(response, file, commit);
        if (response.StatusCode == HttpStatusCode.PartialContent && response.Message.Content.Headers.ContentRange?.From != offset)
        {
            File.Delete(partial);
            throw new IOException($"the server answered a resume of {file.Path} at byte {offset} with another range; starting it over.");
        }
        if (response.StatusCode != HttpStatusCode.PartialContent) offset = 0; // Range ignored: the whole file comes again

        using var hasher = new ContentHasher(file.Etag, file.Size);
        if (offset > 0) await hasher.AppendFileAsync(partial, offset, ct).ConfigureAwait(false);
        reporter.Report(offset, force: true);
        long written;
        await using (var output = new FileStream(partial, offset > 0 ? FileMode.Open : FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16, useAsync: true))
        {
            output.SetLength(offset);
            output.Seek(offset, SeekOrigin.Begin);
            await using var body = Decode(response.Message, await response.Message.Content.ReadAsStreamAsync(ct).ConfigureAwait(false));
            written = await CopyAsync(body, output, hasher, offset, file, reporter, ct).ConfigureAwait(false);
        }
        if (offset + written < file.Size)
            throw new IOException($"the transfer of {file.Path} ended after {offset + written} of {file.Size} bytes.");
        var actual = hasher.Finish();
        if (actual != file.Etag)
        {
            File.Delete(partial);
            throw new BlobIntegrityException($"{file.Path} from {repo}@{commit[..8]} was corrupt: its content hashes to {actual}, " +
                $"expected {file.Etag} ({(file.Etag.Length == 64 ? "sha256" : "git sha1")}).");
        }
        return written;
    }

    async Task<long> CopyAsync(Stream body, FileStream output, ContentHasher hasher, long offset, RepoFile file,
        FileProgressReporter reporter, CancellationToken ct)
    {
        var buffer = new byte[1 << 16];
        var written = 0L;
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(ct);
        while (true)
        {
            stall.CancelAfter(hub.Options.ReadTimeout);
            int read;
            try
            {
                read = await body.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new IOException($"no data for {hub.Options.ReadTimeout.TotalSeconds:0} s while downloading {file.Path}.");
            }
            if (read == 0) return written;
            if (offset + written + read > file.Size)
                throw new HubProtocolException($"the server sent more than the {file.Size} bytes of {file.Path}.");
            hasher.Append(buffer.AsSpan(0, read));
            await output.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
            written += read;
            reporter.Report(offset + written);
        }
    }

    /// <summary>X-Repo-Commit must be there (else HF_ENDPOINT is not a Hub), and the served etag must be the listed one.</summary>
    static void CheckHeaders(HubResponse response, RepoFile file, string commit)
    {
        if (response.RepoCommit is null)
            throw new HubProtocolException($"the answer for {file.Path} has no X-Repo-Commit header: HF_ENDPOINT does not look like a Hugging Face Hub (a proxy?).");
        if (response.RepoCommit != commit)
            throw new HubProtocolException($"asked for {file.Path} at commit {commit} but the Hub answered for {response.RepoCommit}.");
        if (response.Etag is { } etag && etag != file.Etag)
            throw new HubProtocolException($"the Hub lists {file.Path} as {file.Etag} but serves {etag}.");
    }

    /// <summary>Accept-Encoding: identity is asked for; a server that compresses anyway is decoded.</summary>
    static Stream Decode(HttpResponseMessage response, Stream body) =>
        response.Content.Headers.ContentEncoding.LastOrDefault()?.ToLowerInvariant() switch
        {
            null or "identity" => body,
            "gzip" => new GZipStream(body, CompressionMode.Decompress),
            "deflate" => new ZLibStream(body, CompressionMode.Decompress),
            "br" => new BrotliStream(body, CompressionMode.Decompress),
            var other => throw new HubProtocolException($"unsupported Content-Encoding '{other}'."),
        };

    static ResiliencePipeline BuildPipeline(HubConnection hub)
    {
        var options = hub.Options;
        if (options.MaxRetries <= 0) return ResiliencePipeline.Empty;
        return new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<IOException>(),
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    hub.Logger.LogWarning("Download interrupted ({Error}); retry {Attempt} of {Max}",
                        hub.Redactor.Redact(args.Outcome.Exception?.Message), args.AttemptNumber + 1, options.MaxRetries);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }
}
