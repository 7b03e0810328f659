using System.Text.RegularExpressions;

namespace ArrCoc.Hub;

/// <summary>
/// The huggingface_hub cache layout (hub-docs local-cache.md; file_download.py), shared with the Python tools:
/// <code>
/// {root}/models--{ns}--{name}/blobs/{etag}                 content, named by sha256 (LFS) or git sha1
///                            /blobs/{etag}.incomplete      a partial download (resumed with Range)
///                            /snapshots/{commit}/{path}    relative symlink to ../../blobs/{etag}
///                            /refs/{revision}              the commit, 40 hex, no newline
/// {root}/.locks/models--{ns}--{name}/{etag}.lock           download lock (flock, as Python's filelock)
/// </code>
/// </summary>
public sealed partial class HubCache(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    public string RepoFolder(RepoId repo, RepoKind kind = RepoKind.Model) => Path.Combine(Root, repo.CacheFolderName(kind));

    public string BlobPath(RepoId repo, string etag, RepoKind kind = RepoKind.Model) =>
        Path.Combine(RepoFolder(repo, kind), "blobs", CheckEtag(etag));

    public string IncompletePath(RepoId repo, string etag, RepoKind kind = RepoKind.Model) => BlobPath(repo, etag, kind) + ".incomplete";

    public string LockPath(RepoId repo, string etag, RepoKind kind = RepoKind.Model) =>
        Path.Combine(Root, ".locks", repo.CacheFolderName(kind), CheckEtag(etag) + ".lock");

    public string SnapshotFolder(RepoId repo, string commit, RepoKind kind = RepoKind.Model) =>
        Path.Combine(RepoFolder(repo, kind), "snapshots", CheckCommit(commit));

    public string SnapshotFile(RepoId repo, string commit, string path, RepoKind kind = RepoKind.Model) =>
        Path.Combine(SnapshotFolder(repo, commit, kind), CheckRepoPath(path));

    public string RefPath(RepoId repo, string revision, RepoKind kind = RepoKind.Model) =>
        Path.Combine(RepoFolder(repo, kind), "refs", CheckRepoPath(revision));

    /// <summary>The commit a revision points to in the cache: the revision itself if it is 40 hex, else refs/{revision}.</summary>
    public string? ResolveCommit(RepoId repo, string revision, RepoKind kind = RepoKind.Model)
    {
        if (IsCommit(revision)) return revision;
        var refPath = RefPath(repo, revision, kind);
        if (!File.Exists(refPath)) return null;
        var commit = File.ReadAllText(refPath).Trim();
        return IsCommit(commit) ? commit : throw new InvalidDataException($"cache ref {refPath} does not hold a 40-hex commit (it holds '{commit}').");
    }

    /// <summary>refs/{revision} := commit, written atomically (temporary file + rename); nothing for a commit revision.</summary>
    public void WriteRef(RepoId repo, string revision, string commit, RepoKind kind = RepoKind.Model)
    {
        CheckCommit(commit);
        if (revision == commit) return;
        var refPath = RefPath(repo, revision, kind);
        if (File.Exists(refPath) && File.ReadAllText(refPath) == commit) return;
        Directory.CreateDirectory(Path.GetDirectoryName(refPath)!);
        var temp = $"{refPath}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temp, commit); // no newline, as huggingface_hub writes it
        File.Move(temp, refPath, overwrite: true);
    }

    /// <summary>
    /// snapshots/{commit}/{path} → blobs/{etag} as a relative symlink (one "../" per folder level, as
    /// os.path.relpath gives); where symlinks are not allowed, a copy (huggingface_hub's degraded mode).
    /// </summary>
    public void LinkSnapshotFile(RepoId repo, string commit, string path, string etag, RepoKind kind = RepoKind.Model)
    {
        var pointer = SnapshotFile(repo, commit, path, kind);
        var blob = BlobPath(repo, etag, kind);
        var folder = Path.GetDirectoryName(pointer)!;
        Directory.CreateDirectory(folder);
        var target = Path.GetRelativePath(folder, blob);
        var existing = new FileInfo(pointer);
        if (existing.LinkTarget == target) return;
        if (existing.Exists || existing.LinkTarget is not null) existing.Delete();
        try
        {
            File.CreateSymbolicLink(pointer, target);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Copy(blob, pointer, overwrite: true);
        }
    }

    public static bool IsCommit(string? text) => text is not null && Commit().IsMatch(text);

    static string CheckCommit(string commit) =>
        IsCommit(commit) ? commit : throw new InvalidDataException($"'{commit}' is not a 40-hex commit id.");

    /// <summary>Blob names come from the server: only a 40-hex sha1 or a 64-hex sha256 is accepted as a file name.</summary>
    static string CheckEtag(string etag) =>
        Etag().IsMatch(etag) ? etag : throw new InvalidDataException($"'{etag}' is not a sha1 or sha256 etag; refusing it as a cache file name.");

    /// <summary>Repository paths come from the server: relative, no "..", no empty segments.</summary>
    internal static string CheckRepoPath(string path)
    {
        var parts = path.Split('/');
        if (path.Length == 0 || Path.IsPathRooted(path) || path.Contains('\\', StringComparison.Ordinal)
            || parts.Any(p => p is "" or "." or ".."))
            throw new InvalidDataException($"'{path}' is not a safe repository path.");
        return Path.Combine(parts);
    }

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex Commit();

    [GeneratedRegex("^([0-9a-f]{40}|[0-9a-f]{64})$")]
    private static partial Regex Etag();
}
