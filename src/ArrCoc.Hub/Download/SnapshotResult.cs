namespace ArrCoc.Hub;

/// <summary>
/// A repository snapshot in the cache: Folder is snapshots/{commit}, e.g.
/// ~/.cache/huggingface/hub/models--Qwen--Qwen3-VL-2B-Instruct/snapshots/0123abcd...
/// </summary>
public sealed record SnapshotResult(
    RepoId Repo,
    string Revision,
    string Commit,
    string Folder,
    IReadOnlyList<RepoFile> Files,
    int FilesDownloaded,
    long BytesDownloaded);
