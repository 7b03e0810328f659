namespace ArrCoc.Hub;

/// <summary>What a request was about, so an error can say so: "download", repository, revision, file.</summary>
internal sealed record HubRequestContext(string Action, RepoKind Kind = RepoKind.Model, RepoId? Repo = null, string? Revision = null, string? FilePath = null)
{
    public string Subject => Repo is null ? "the Hub" : $"{Kind.TypeName()} {Repo}";
}
