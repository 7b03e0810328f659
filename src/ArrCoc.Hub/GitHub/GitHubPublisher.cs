using Octokit;

namespace ArrCoc.Hub;

/// <summary>
/// A private GitHub repository for the code (Octokit 14): reuse it if it exists and is private, refuse it if it
/// is public, else create it private (under the user, or an organisation) and read back that it is private.
/// </summary>
public sealed class GitHubPublisher
{
    readonly GitHubClient client;
    readonly SecretRedactor redactor;

    public GitHubPublisher(GitHubOptions options)
    {
        if (options.Token is null)
            throw new ArgumentException("--github needs a GitHub token in GITHUB_TOKEN (a token that may create private repositories).");
        var api = new Uri(options.ApiUrl.EndsWith('/') ? options.ApiUrl : options.ApiUrl + "/");
        client = new GitHubClient(new ProductHeaderValue("arrcoc"), api) { Credentials = new Credentials(options.Token) };
        redactor = new SecretRedactor(options.Token);
        Token = options.Token;
    }

    internal string Token { get; }

    /// <returns>The repository, private, and whether it was created now.</returns>
    public async Task<(Repository Repository, bool Created)> EnsurePrivateRepositoryAsync(string owner, string name)
    {
        try
        {
            var existing = await FindAsync(owner, name).ConfigureAwait(false);
            if (existing is not null) return (RequirePrivate(existing, "exists and is public"), false);
            var request = new NewRepository(name) { Private = true, Visibility = RepositoryVisibility.Private, AutoInit = false };
            var login = (await client.User.Current().ConfigureAwait(false)).Login;
            if (string.Equals(login, owner, StringComparison.OrdinalIgnoreCase))
                await client.Repository.Create(request).ConfigureAwait(false);
            else
                await client.Repository.Create(owner, request).ConfigureAwait(false);
            var readBack = await client.Repository.Get(owner, name).ConfigureAwait(false);
            return (RequirePrivate(readBack, "was created but reads back as public"), true);
        }
        catch (AuthorizationException e)
        {
            throw new HubAuthenticationException(redactor.Redact($"GitHub refused the token in GITHUB_TOKEN ({e.Message})."), e.StatusCode, null);
        }
        catch (ApiException e)
        {
            throw new HubException(redactor.Redact($"GitHub API error for {owner}/{name}: {(int)e.StatusCode} {e.Message}"), e.StatusCode);
        }
    }

    async Task<Repository?> FindAsync(string owner, string name)
    {
        try
        {
            return await client.Repository.Get(owner, name).ConfigureAwait(false);
        }
        catch (NotFoundException)
        {
            return null;
        }
    }

    static Repository RequirePrivate(Repository repository, string problem) =>
        repository.Private ? repository : throw new NotPrivateException(
            $"GitHub repository {repository.FullName} {problem}: refusing to push code to it (make it private, or choose another name).");
}
