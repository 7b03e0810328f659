using System.Text.Json.Serialization;

namespace ArrCoc.Hub;

/// <summary>
/// One file of a repository at a commit, from the tree listing.
/// Etag: the content's sha256 (lfs.oid) for an LFS file, else its git blob sha1 (oid); it names the cache blob.
/// </summary>
public sealed record RepoFile(string Path, long Size, string Etag, bool IsLfs);

/// <summary>An entry of GET /api/models/{id}/tree/{rev}: "lfs.oid" here, unlike "lfs.sha256" in repo info siblings.</summary>
internal sealed record TreeEntry(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("oid")] string? Oid,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("lfs")] TreeLfs? Lfs)
{
    public RepoFile ToRepoFile() => Lfs is { } lfs
        ? new RepoFile(Path, lfs.Size, lfs.Oid, IsLfs: true)
        : new RepoFile(Path, Size, Oid ?? throw new HubProtocolException($"tree entry '{Path}' has no oid."), IsLfs: false);
}

internal sealed record TreeLfs(
    [property: JsonPropertyName("oid")] string Oid,
    [property: JsonPropertyName("size")] long Size);

/// <summary>The part of GET /api/models/{id}/revision/{rev} we use.</summary>
internal sealed record RepoRevisionInfo(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("sha")] string? Sha);
