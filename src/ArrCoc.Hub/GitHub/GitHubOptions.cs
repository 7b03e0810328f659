namespace ArrCoc.Hub;

/// <summary>
/// GitHub API base address (GITHUB_API_URL, default the public API) and token (GITHUB_TOKEN only: not the gh CLI's
/// GH_TOKEN, so a deploy never acts for an account by accident).
/// </summary>
public sealed class GitHubOptions
{
    public const string DefaultApiUrl = "https://api.github.com/";

    public GitHubOptions() : this(Environment.GetEnvironmentVariable) { }

    public GitHubOptions(Func<string, string?> environment)
    {
        ApiUrl = environment("GITHUB_API_URL") is { Length: > 0 } url ? url : DefaultApiUrl;
        Token = environment("GITHUB_TOKEN") is { Length: > 0 } token ? token : null;
    }

    /// <summary>e.g. "https://api.github.com/" or a GitHub Enterprise "https://host/api/v3/".</summary>
    public string ApiUrl { get; set; }

    /// <summary>A token with "repo" scope (classic) or repository administration + contents write (fine-grained). Never logged.</summary>
    public string? Token { get; set; }

    public override string ToString() => $"api {ApiUrl}, token {(Token is null ? "none" : "set")}";
}
