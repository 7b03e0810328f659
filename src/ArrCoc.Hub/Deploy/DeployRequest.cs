namespace ArrCoc.Hub;

/// <summary>What `arrcoc deploy` was asked to do.</summary>
public sealed class DeployRequest
{
    /// <summary>Configuration key (as an environment variable) the Microscope reads its model id from.</summary>
    public const string ModelVariable = "Engine__Model";

    /// <summary>The Space, e.g. "owner/arrcoc-microscope".</summary>
    public required RepoId Space { get; init; }

    /// <summary>A folder inside the git repository to deploy (its tracked files are uploaded).</summary>
    public required string Folder { get; init; }

    /// <summary>Hardware flavor to request, e.g. "t4-small"; null keeps the Space's.</summary>
    public string? Hardware { get; init; }

    /// <summary>Space variables (build args and environment), e.g. Engine__Model=Qwen/Qwen3-VL-2B-Instruct.</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();

    /// <summary>Space secrets (environment only); values are never printed.</summary>
    public IReadOnlyDictionary<string, string> Secrets { get; init; } = new Dictionary<string, string>();

    /// <summary>A private GitHub repository to create/verify and push the current branch to, "owner/name".</summary>
    public string? GitHubRepository { get; init; }

    /// <summary>Print the plan; change nothing.</summary>
    public bool DryRun { get; init; }

    public string CommitSummary { get; init; } = "Deploy ARR-COC Microscope";

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long to wait for RUNNING (the Spaces default startup limit is 30 min).</summary>
    public TimeSpan BuildTimeout { get; init; } = TimeSpan.FromMinutes(45);
}

/// <summary>Where the deployed Space is: its Hub page and its app URL.</summary>
public sealed record DeployResult(string SpacePage, string? AppUrl, string Stage, string? Commit);
