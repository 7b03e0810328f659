using Microsoft.Extensions.Logging;

namespace ArrCoc.Hub;

/// <summary>
/// Turns what the user typed after --model into a folder: a local folder is used as is; a Hub id
/// ("Qwen/Qwen3-VL-2B-Instruct[@revision]") is looked up in the cache first (no request at all when a complete
/// snapshot is there, e.g. one the Python tools downloaded), else downloaded if allowed and not offline.
/// Engine and the CLI call this; `arrcoc download` (HubDownloader) is the way to refresh a cached branch.
/// </summary>
public sealed class ModelResolver(HubOptions options, ILoggerFactory? loggers = null, HttpMessageHandler? primaryHandler = null,
    FreeSpaceProbe? freeSpace = null)
{
    readonly HubCache cache = new(options.CacheDir);

    public HubOptions Options { get; } = options;

    public Task<ResolvedModel> ResolveAsync(string reference, bool allowDownload = true,
        IProgress<DownloadProgress>? progress = null, CancellationToken ct = default) =>
        ResolveAsync(ModelReference.Parse(reference), allowDownload, progress, ct);

    public async Task<ResolvedModel> ResolveAsync(ModelReference reference, bool allowDownload = true,
        IProgress<DownloadProgress>? progress = null, CancellationToken ct = default)
    {
        if (reference.IsLocal) return new ResolvedModel(reference.LocalFolder!, ModelSource.LocalFolder);
        if (FindCached(reference) is { } cached) return cached;
        var repo = reference.Repo!;
        if (Options.Offline || !allowDownload)
        {
            var why = Options.Offline ? "offline mode is on (HF_HUB_OFFLINE); unset it, or " : "downloads are off here; ";
            throw new ModelNotCachedException($"model {reference} is not in the Hugging Face cache at {cache.Root} ({WhatIsMissing(reference)}): " +
                $"{why}run `arrcoc download {repo} --revision {reference.Revision}` where the Hub can be reached.");
        }
        using var downloader = new HubDownloader(Options, loggers, primaryHandler, freeSpace);
        var snapshot = await downloader.DownloadAsync(repo, reference.Revision, FileSelection.ModelFiles, progress, ct).ConfigureAwait(false);
        if (SnapshotCheck.WhatIsMissing(snapshot.Folder) is { } missing)
            throw new InvalidDataException($"{reference} was downloaded to {snapshot.Folder} but is not a usable model: missing {missing}.");
        return new ResolvedModel(snapshot.Folder, ModelSource.Downloaded, repo, snapshot.Commit);
    }

    /// <summary>The cached snapshot for a Hub reference if it is complete; never touches the network.</summary>
    public ResolvedModel? FindCached(ModelReference reference)
    {
        if (reference.IsLocal) return new ResolvedModel(reference.LocalFolder!, ModelSource.LocalFolder);
        var commit = cache.ResolveCommit(reference.Repo!, reference.Revision);
        if (commit is null) return null;
        var folder = cache.SnapshotFolder(reference.Repo!, commit);
        if (SnapshotCheck.WhatIsMissing(folder) is { } missing)
        {
            (loggers?.CreateLogger("ArrCoc.Hub"))?.LogInformation("Cached snapshot {Folder} is incomplete: missing {Missing}", folder, missing);
            return null;
        }
        return new ResolvedModel(folder, ModelSource.Cache, reference.Repo, commit);
    }

    string WhatIsMissing(ModelReference reference)
    {
        var commit = cache.ResolveCommit(reference.Repo!, reference.Revision);
        return commit is null ? $"no snapshot for revision '{reference.Revision}'"
            : "incomplete snapshot: missing " + SnapshotCheck.WhatIsMissing(cache.SnapshotFolder(reference.Repo!, commit));
    }
}
