namespace ArrCoc.Hub;

/// <summary>
/// URL shapes of the Hub (huggingface_hub's hf_hub_url and hf_api): the repo id goes in as is (its '/' is a
/// path separator), a revision is percent-encoded entirely ("refs/pr/1" → "refs%2Fpr%2F1"), a file path keeps
/// its '/'.
/// </summary>
public sealed class HubUrls(Uri endpoint)
{
    readonly string root = endpoint.ToString().TrimEnd('/');

    /// <summary>{endpoint}/api/{models|datasets|spaces}/{id}[/rest]</summary>
    public Uri Api(RepoKind kind, RepoId repo, string? rest = null) =>
        new($"{root}/api/{kind.ApiSegment()}/{repo}{(rest is null ? "" : "/" + rest)}");

    /// <summary>{endpoint}/api/{path}, e.g. "repos/create".</summary>
    public Uri Api(string path) => new($"{root}/api/{path}");

    /// <summary>Repo info at a revision; its "sha" is the commit.</summary>
    public Uri Revision(RepoKind kind, RepoId repo, string revision) => Api(kind, repo, "revision/" + Rev(revision));

    /// <summary>Recursive file listing at a revision (paged with Link: rel="next").</summary>
    public Uri Tree(RepoKind kind, RepoId repo, string revision) =>
        Api(kind, repo, $"tree/{Rev(revision)}?recursive=true&expand=false");

    /// <summary>{endpoint}/{prefix}{id}/resolve/{revision}/{path}</summary>
    public Uri Resolve(RepoKind kind, RepoId repo, string revision, string path) =>
        new($"{root}/{kind.UrlPrefix()}{repo}/resolve/{Rev(revision)}/{FilePath(path)}");

    /// <summary>{endpoint}/{prefix}{id}.git/info/lfs/objects/batch</summary>
    public Uri LfsBatch(RepoKind kind, RepoId repo) => new($"{root}/{kind.UrlPrefix()}{repo}.git/info/lfs/objects/batch");

    /// <summary>The repository's web page, e.g. https://huggingface.co/spaces/owner/name.</summary>
    public Uri Page(RepoKind kind, RepoId repo) => new($"{root}/{kind.UrlPrefix()}{repo}");

    public static string Rev(string revision) => Uri.EscapeDataString(revision);

    public static string FilePath(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
}
