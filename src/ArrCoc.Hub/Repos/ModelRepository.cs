namespace ArrCoc.Hub;

/// <summary>
/// A Hub model repository used as a store of files (e.g. ARR-COC's training checkpoints): made private before any
/// upload (created private, or set private, then read back), folders uploaded in one commit each (LFS where the
/// Hub asks), files listed at a revision. Downloads go through <see cref="HubDownloader"/> into the HF cache.
/// </summary>
public sealed class ModelRepository(HubConnection hub)
{
    const RepoKind Kind = RepoKind.Model;
    readonly RepoClient repos = new(hub);
    readonly RepoListing listing = new(hub);

    public HubConnection Hub { get; } = hub;

    /// <summary>Create it private or make it private; throws <see cref="NotPrivateException"/> unless it reads back private. True when created.</summary>
    public Task<bool> EnsurePrivateAsync(RepoId repo, CancellationToken ct)
    {
        if (Hub.Options.Token is null)
            throw new ArgumentException($"uploading to {repo} needs a Hugging Face token with write access in HF_TOKEN (or --token-env).");
        return repos.EnsurePrivateAsync(Kind, repo, sdk: null, ct);
    }

    /// <summary>Every file of a local folder (recursively) under <paramref name="repoFolder"/> in the repository, in one commit.</summary>
    public Task<UploadResult> UploadFolderAsync(RepoId repo, string localFolder, string repoFolder, string summary, CancellationToken ct)
    {
        if (!Directory.Exists(localFolder)) throw new DirectoryNotFoundException($"nothing to upload: {localFolder} does not exist");
        var prefix = repoFolder.Trim('/');
        var files = Directory.GetFiles(localFolder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => new LocalFile($"{prefix}/{Path.GetRelativePath(localFolder, f).Replace('\\', '/')}", f)).ToList();
        if (files.Count == 0) throw new IOException($"nothing to upload: {localFolder} is empty");
        return new RepoUploader(repos, Kind).UploadAsync(repo, files, summary, ct);
    }

    /// <summary>The commit a revision points to and every file at it.</summary>
    public async Task<(string Commit, IReadOnlyList<RepoFile> Files)> ListFilesAsync(RepoId repo, string revision, CancellationToken ct)
    {
        var commit = await listing.GetCommitAsync(Kind, repo, revision, ct).ConfigureAwait(false);
        return (commit, await listing.ListFilesAsync(Kind, repo, commit, ct).ConfigureAwait(false));
    }
}
