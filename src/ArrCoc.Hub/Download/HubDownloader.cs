using Microsoft.Extensions.Logging;

namespace ArrCoc.Hub;

/// <summary>
/// Downloads a repository snapshot into the cache, as huggingface_hub's snapshot_download: resolve the revision
/// to a commit, list the files, write refs/{revision}, fetch the missing blobs (a few at once), link
/// snapshots/{commit}/{path}. Blobs already cached are reused (re-hashed first when VerifyCachedBlobs is on).
/// </summary>
public sealed class HubDownloader : IDisposable
{
    readonly HubConnection hub;
    readonly RepoListing listing;
    readonly BlobDownloader blobs;
    readonly FreeSpaceProbe freeSpace;

    public HubDownloader(HubOptions options, ILoggerFactory? loggers = null, HttpMessageHandler? primaryHandler = null,
        FreeSpaceProbe? freeSpace = null)
    {
        hub = new HubConnection(options, loggers, primaryHandler);
        Cache = new HubCache(options.CacheDir);
        listing = new RepoListing(hub);
        blobs = new BlobDownloader(hub, Cache);
        this.freeSpace = freeSpace ?? DiskSpace.Available;
    }

    public HubCache Cache { get; }

    public async Task<SnapshotResult> DownloadAsync(RepoId repo, string revision = ModelReference.DefaultRevision,
        FileSelection? selection = null, IProgress<DownloadProgress>? progress = null, CancellationToken ct = default)
    {
        selection ??= FileSelection.ModelFiles;
        const RepoKind kind = RepoKind.Model;
        var commit = await listing.GetCommitAsync(kind, repo, revision, ct).ConfigureAwait(false);
        var files = (await listing.ListFilesAsync(kind, repo, commit, ct).ConfigureAwait(false)).Where(f => selection.Includes(f.Path)).ToList();
        if (files.Count == 0)
            throw new InvalidDataException($"{repo}@{revision} has no {selection} to download (commit {commit}).");
        Cache.WriteRef(repo, revision, commit, kind);

        var missing = new List<RepoFile>();
        foreach (var group in files.GroupBy(f => f.Etag)) // identical contents share one blob
            if (!await IsCachedAsync(repo, group.First(), ct).ConfigureAwait(false)) missing.Add(group.First());
        var needed = missing.Sum(f => f.Size - PartialLength(repo, f));
        Directory.CreateDirectory(Cache.Root);
        DiskSpace.Ensure(freeSpace, Cache.Root, needed, hub.Options.FreeSpaceMargin, $"{repo}@{revision}");
        hub.Logger.LogInformation("{Repo}@{Revision} ({Commit}): {Files} files, {Missing} to download ({Bytes})",
            repo, revision, commit[..8], files.Count, missing.Count, DiskSpace.Bytes(needed));

        // Every file to fetch is announced before any byte arrives, so a consumer summing the files knows the whole
        // size from the start (its fraction only grows, even when a file starts after others have finished).
        foreach (var file in missing.Where(f => f.Size > 0))
            progress?.Report(new DownloadProgress(file.Path, PartialLength(repo, file), file.Size, 0));

        long received = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Clamp(hub.Options.MaxConcurrentDownloads, 1, 8), CancellationToken = ct };
        await Parallel.ForEachAsync(missing.OrderByDescending(f => f.Size), parallel, async (file, token) =>
            Interlocked.Add(ref received, await blobs.DownloadAsync(kind, repo, commit, file, progress, token).ConfigureAwait(false)))
            .ConfigureAwait(false);
        foreach (var file in files)
            Cache.LinkSnapshotFile(repo, commit, file.Path, file.Etag, kind);
        return new SnapshotResult(repo, revision, commit, Cache.SnapshotFolder(repo, commit, kind), files, missing.Count, received);
    }

    /// <summary>A blob counts when it exists with the right size (and hash, if verifying); a bad one is deleted.</summary>
    async Task<bool> IsCachedAsync(RepoId repo, RepoFile file, CancellationToken ct)
    {
        var blob = Cache.BlobPath(repo, file.Etag);
        if (!File.Exists(blob)) return false;
        if (new FileInfo(blob).Length == file.Size
            && (!hub.Options.VerifyCachedBlobs || await ContentHasher.MatchesAsync(blob, file.Etag, file.Size, ct).ConfigureAwait(false)))
            return true;
        hub.Logger.LogWarning("Cached blob for {Path} ({Blob}) is corrupt; fetching it again", file.Path, blob);
        File.Delete(blob);
        return false;
    }

    long PartialLength(RepoId repo, RepoFile file)
    {
        var partial = new FileInfo(Cache.IncompletePath(repo, file.Etag));
        return partial.Exists && partial.Length <= file.Size ? partial.Length : 0;
    }

    public void Dispose() => hub.Dispose();
}
