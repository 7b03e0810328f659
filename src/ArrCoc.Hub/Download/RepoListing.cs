namespace ArrCoc.Hub;

/// <summary>
/// What huggingface_hub's snapshot_download asks first: the commit a revision points to
/// (GET /api/models/{id}/revision/{rev} → "sha"), then every file at that commit
/// (GET /api/models/{id}/tree/{sha}?recursive=true, following Link: rel="next" pages).
/// </summary>
internal sealed class RepoListing(HubConnection hub)
{
    public async Task<string> GetCommitAsync(RepoKind kind, RepoId repo, string revision, CancellationToken ct)
    {
        var context = new HubRequestContext("look up the revision", kind, repo, revision);
        var info = await hub.SendJsonAsync<RepoRevisionInfo>(HttpMethod.Get, hub.Urls.Revision(kind, repo, revision), context, ct)
            .ConfigureAwait(false);
        return HubCache.IsCommit(info.Sha) ? info.Sha!
            : throw new HubProtocolException($"the Hub's answer for {repo}@{revision} has no 40-hex \"sha\" (got '{info.Sha}').");
    }

    public async Task<IReadOnlyList<RepoFile>> ListFilesAsync(RepoKind kind, RepoId repo, string commit, CancellationToken ct)
    {
        var context = new HubRequestContext("list the files", kind, repo, commit);
        var files = new List<RepoFile>();
        Uri? page = hub.Urls.Tree(kind, repo, commit);
        while (page is not null)
        {
            using var response = await hub.SendCheckedAsync(HttpMethod.Get, page, context, ct).ConfigureAwait(false);
            var entries = await HubConnection.ReadJsonAsync<List<TreeEntry>>(response, context, ct).ConfigureAwait(false);
            files.AddRange(entries.Where(e => e.Type == "file").Select(e => e.ToRepoFile()));
            page = LinkHeader.Next(response.Message, page);
        }
        return files;
    }
}
