using System.Text;
using System.Text.Json;

namespace ArrCoc.Hub;

/// <summary>What one upload did: files committed (regular / LFS), files the Hub already had, the new commit.</summary>
public sealed record UploadResult(int Regular, int Lfs, int Unchanged, string? Commit);

/// <summary>
/// Puts a set of local files into a repository in one commit, as huggingface_hub's create_commit: preupload (the
/// Hub says regular or LFS, and gives the oid of files it has), LFS uploads, then one NDJSON commit whose header
/// names the parent commit (so a concurrent push fails instead of being overwritten). Unchanged files are skipped;
/// with nothing changed no commit is made.
/// </summary>
public sealed class RepoUploader(RepoClient repos, RepoKind kind)
{
    readonly LfsUploader lfs = new(repos.Hub);

    public async Task<UploadResult> UploadAsync(RepoId repo, IReadOnlyList<LocalFile> files, string summary, CancellationToken ct)
    {
        var (answers, head) = await repos.PreuploadAsync(kind, repo, files, ct).ConfigureAwait(false);
        var modes = answers.ToDictionary(a => a.Path);
        var regular = new List<LocalFile>();
        var large = new List<LocalFile>();
        var unchanged = 0;
        foreach (var file in files)
        {
            if (!modes.TryGetValue(file.RepoPath, out var answer))
                throw new HubProtocolException($"preupload did not answer for {file.RepoPath}.");
            if (answer.ShouldIgnore) continue;
            var isLfs = answer.UploadMode == "lfs" && file.Size > 0; // an empty LFS object would be refused by the storage
            if (answer.Oid is not null && answer.Oid == (isLfs ? file.Sha256 : file.GitSha1)) unchanged++;
            else (isLfs ? large : regular).Add(file);
        }
        if (regular.Count + large.Count == 0) return new UploadResult(0, 0, unchanged, null);
        if (large.Count > 0) await lfs.UploadAsync(kind, repo, large, ct).ConfigureAwait(false);
        var reply = await repos.CommitAsync(kind, repo, CommitPayload(summary, head, regular, large), ct).ConfigureAwait(false);
        return new UploadResult(regular.Count, large.Count, unchanged, reply.CommitOid);
    }

    /// <summary>One JSON object per line: the header, then "file" (base64 content) and "lfsFile" (sha256 pointer) entries.</summary>
    internal static byte[] CommitPayload(string summary, string? parentCommit, IEnumerable<LocalFile> regular, IEnumerable<LocalFile> lfsFiles)
    {
        var lines = new List<object>
        {
            new { key = "header", value = new { summary, description = "", parentCommit } },
        };
        lines.AddRange(regular.Select(f => new { key = "file", value = (object)new { content = Convert.ToBase64String(f.Content), path = f.RepoPath, encoding = "base64" } }));
        lines.AddRange(lfsFiles.Select(f => new { key = "lfsFile", value = (object)new { path = f.RepoPath, algo = "sha256", oid = f.Sha256, size = f.Size } }));
        var text = new StringBuilder();
        foreach (var line in lines) text.Append(JsonSerializer.Serialize(line, HubConnection.Json)).Append('\n');
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
