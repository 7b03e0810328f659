namespace ArrCoc.Hub;

/// <summary>
/// The files a deploy uploads: git's tracked files minus .dockerignore exclusions (the Space builds the Docker image
/// from them), always keeping README.md (the Space card), Dockerfile and .dockerignore.
/// </summary>
public static class DeployFiles
{
    static readonly string[] AlwaysKept = ["README.md", "Dockerfile", ".dockerignore"];

    public static async Task<(IReadOnlyList<LocalFile> Files, int Excluded)> SelectAsync(GitWorkspace workspace, CancellationToken ct)
    {
        var tracked = await workspace.TrackedFilesAsync(ct).ConfigureAwait(false);
        var ignore = DockerIgnore.Load(workspace.Root);
        var kept = tracked.Where(p => AlwaysKept.Contains(p) || !ignore.IsExcluded(p)).ToList();
        if (!kept.Contains("Dockerfile"))
            throw new DeployException($"no tracked Dockerfile at the top of {workspace.Root}: a Docker Space builds from it (commit it first).");
        if (!kept.Contains("README.md") || !File.ReadAllText(Path.Combine(workspace.Root, "README.md")).StartsWith("---", StringComparison.Ordinal))
            throw new DeployException("README.md must be tracked and start with the Space's YAML front matter (---, sdk: docker, app_port: 7860, ...).");
        return ([.. kept.Select(p => new LocalFile(p, Path.Combine(workspace.Root, p)))], tracked.Count - kept.Count);
    }
}
