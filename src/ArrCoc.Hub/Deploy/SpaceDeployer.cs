namespace ArrCoc.Hub;

/// <summary>
/// `arrcoc deploy` without the CLI: (1) create the Space private (sdk docker) or make the existing one private,
/// (2) read it back and refuse to go on unless private, (3) upload the tracked files in one commit (LFS where the
/// Hub asks), (4) hardware, variables, secrets, (5) poll the runtime until RUNNING, or fail with the Hub's error and
/// the log tail, (6) with a GitHub repository: make sure it is private, push the branch (only code that runs is
/// mirrored). Dry run: plan only, no request at all. Tokens are never written to the log.
/// </summary>
public sealed class SpaceDeployer(HubConnection hub, GitHubOptions github, TextWriter log)
{
    readonly SpaceClient spaces = new(hub);

    public async Task<DeployResult> DeployAsync(DeployRequest request, CancellationToken ct)
    {
        var workspace = await GitWorkspace.OpenAsync(request.Folder, ct).ConfigureAwait(false);
        var (files, excluded) = await DeployFiles.SelectAsync(workspace, ct).ConfigureAwait(false);
        var branch = request.GitHubRepository is null ? null : await workspace.CurrentBranchAsync(ct).ConfigureAwait(false);
        var page = hub.Urls.Page(RepoKind.Space, request.Space).ToString();
        await WritePlanAsync(request, files, excluded, branch, page).ConfigureAwait(false);
        if (request.DryRun)
        {
            await Say("dry run: nothing was changed.").ConfigureAwait(false);
            return new DeployResult(page, null, "DRY_RUN", null);
        }
        if (hub.Options.Token is null)
            throw new ArgumentException("deploy needs a Hugging Face token with write access in HF_TOKEN (or --token-env).");

        await EnsurePrivateSpaceAsync(request.Space, ct).ConfigureAwait(false);
        if (files.FirstOrDefault(f => f.RepoPath == "README.md") is { } readme)
            await spaces.ValidateReadmeAsync(request.Space, System.Text.Encoding.UTF8.GetString(readme.Content).TrimStart((char)0xFEFF), ct).ConfigureAwait(false);
        var upload = await new SpaceUploader(spaces).UploadAsync(request.Space, files, request.CommitSummary, ct).ConfigureAwait(false);
        await Say(upload.Commit is null ? $"nothing changed: the Space already has these {upload.Unchanged} files."
            : $"committed {upload.Regular + upload.Lfs} files ({upload.Lfs} through LFS, {upload.Unchanged} unchanged): commit {upload.Commit}").ConfigureAwait(false);
        await ConfigureAsync(request, ct).ConfigureAwait(false);
        var result = await WaitUntilRunningAsync(request, page, upload.Commit, ct).ConfigureAwait(false);
        if (request.GitHubRepository is { } repository) await PublishToGitHubAsync(workspace, repository, branch!, ct).ConfigureAwait(false);
        return result;
    }

    async Task EnsurePrivateSpaceAsync(RepoId space, CancellationToken ct)
    {
        bool created = await spaces.Repos.EnsurePrivateAsync(RepoKind.Space, space, "docker", ct).ConfigureAwait(false);
        await Say(created ? $"created private Space {space}" : $"Space {space} exists: set it private").ConfigureAwait(false);
        await Say($"verified: Space {space} is private").ConfigureAwait(false);
    }

    async Task ConfigureAsync(DeployRequest request, CancellationToken ct)
    {
        if (request.Hardware is { } flavor)
        {
            await spaces.RequestHardwareAsync(request.Space, flavor, ct).ConfigureAwait(false);
            await Say($"requested hardware {flavor}").ConfigureAwait(false);
        }
        foreach (var (key, value) in request.Variables)
            await spaces.SetVariableAsync(request.Space, key, value, ct).ConfigureAwait(false);
        foreach (var (key, value) in request.Secrets)
            await spaces.SetSecretAsync(request.Space, key, value, ct).ConfigureAwait(false);
        if (request.Variables.Count + request.Secrets.Count > 0)
            await Say($"set variables [{string.Join(", ", request.Variables.Keys)}] and secrets [{string.Join(", ", request.Secrets.Keys)}]").ConfigureAwait(false);
    }

    async Task PublishToGitHubAsync(GitWorkspace workspace, string repository, string branch, CancellationToken ct)
    {
        var parts = repository.Split('/');
        if (parts.Length != 2 || parts.Any(p => p.Length == 0))
            throw new ArgumentException($"--github '{repository}': expected OWNER/NAME.");
        var publisher = new GitHubPublisher(github);
        var (repo, created) = await publisher.EnsurePrivateRepositoryAsync(parts[0], parts[1]).ConfigureAwait(false);
        await Say($"{(created ? "created" : "found")} private GitHub repository {repo.FullName}").ConfigureAwait(false);
        await workspace.PushAsync(repo.CloneUrl, branch, publisher.Token, new SecretRedactor(publisher.Token), ct).ConfigureAwait(false);
        await Say($"pushed branch {branch} to {repo.HtmlUrl ?? repo.CloneUrl}").ConfigureAwait(false);
    }

    async Task<DeployResult> WaitUntilRunningAsync(DeployRequest request, string page, string? commit, CancellationToken ct)
    {
        var runtime = await new RuntimeWatcher(spaces).WaitAsync(request.Space, request.PollInterval, request.BuildTimeout,
            r => log.WriteLine($"stage: {r.Stage}"), ct).ConfigureAwait(false);
        var info = await spaces.GetInfoAsync(request.Space, ct).ConfigureAwait(false);
        var app = AppUrl(info, runtime);
        if (runtime.IsRunning)
        {
            await Say($"running: {app ?? page} (Space page {page})").ConfigureAwait(false);
            return new DeployResult(page, app, runtime.Stage, commit);
        }
        var logs = runtime.Stage == "BUILD_ERROR" ? "build" : "run";
        var tail = await spaces.ReadLogTailAsync(request.Space, logs, 15, TimeSpan.FromSeconds(10), ct).ConfigureAwait(false);
        throw new SpaceFailedException(runtime.Stage, hub.Redactor.Redact(
            $"Space {request.Space} stopped in {runtime.Stage}: {runtime.ErrorMessage ?? "no error message"}" +
            (tail.Count == 0 ? "" : $"; last {logs} log lines: {string.Join(" | ", tail)}") + $" (see {page})"));
    }

    static string? AppUrl(SpaceInfo info, SpaceRuntime runtime) =>
        info.Host ?? (runtime.Domains?.FirstOrDefault()?.Domain is { } domain ? "https://" + domain
            : info.Subdomain is { } sub ? $"https://{sub}.hf.space" : null);

    async Task WritePlanAsync(DeployRequest request, IReadOnlyList<LocalFile> files, int excluded, string? branch, string page)
    {
        var lfsCandidates = files.Count(f => f.Size > 10 * 1024 * 1024);
        var lines = new List<string>
        {
            $"plan for Space {request.Space} ({page}) on {hub.Options.Endpoint}:",
            "  1. create it private (sdk docker), or set the existing one private; read back and stop unless private",
            $"  2. upload {files.Count} tracked files in one commit ({excluded} left out by .dockerignore; {lfsCandidates} over 10 MB, LFS as the Hub decides)",
            $"  3. hardware: {request.Hardware ?? "unchanged"}; variables: {Describe(request.Variables, showValues: true)}; secrets: {Describe(request.Secrets, showValues: false)}",
            $"  4. wait until the Space is RUNNING (poll every {request.PollInterval.TotalSeconds:0} s, up to {request.BuildTimeout.TotalMinutes:0} min)",
            request.GitHubRepository is null ? "  5. GitHub: not asked (--github OWNER/NAME)"
                : $"  5. GitHub, once the Space runs: private repository {request.GitHubRepository} (created if absent, refused if public) at {github.ApiUrl}; push branch {branch}",
        };
        if (request.DryRun) lines.AddRange(files.Select(f => $"     {f.RepoPath} ({f.Size:N0} bytes)"));
        foreach (var line in lines) await Say(line).ConfigureAwait(false);
    }

    static string Describe(IReadOnlyDictionary<string, string> values, bool showValues) =>
        values.Count == 0 ? "none" : string.Join(", ", values.Select(kv => showValues ? $"{kv.Key}={kv.Value}" : $"{kv.Key} (value hidden)"));

    Task Say(string line) => log.WriteLineAsync(hub.Redactor.Redact(line));
}
