namespace ArrCoc.Hub;

/// <summary>Puts a set of local files into a Space in one commit (<see cref="RepoUploader"/> for Spaces).</summary>
public sealed class SpaceUploader(SpaceClient spaces)
{
    readonly RepoUploader uploader = new(spaces.Repos, RepoKind.Space);

    public Task<UploadResult> UploadAsync(RepoId space, IReadOnlyList<LocalFile> files, string summary, CancellationToken ct) =>
        uploader.UploadAsync(space, files, summary, ct);

    /// <summary>The NDJSON commit body (<see cref="RepoUploader.CommitPayload"/>).</summary>
    internal static byte[] CommitPayload(string summary, string? parentCommit, IEnumerable<LocalFile> regular, IEnumerable<LocalFile> lfsFiles) =>
        RepoUploader.CommitPayload(summary, parentCommit, regular, lfsFiles);
}
