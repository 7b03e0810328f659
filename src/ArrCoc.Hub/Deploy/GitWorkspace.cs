using System.Diagnostics;
using System.Text;

namespace ArrCoc.Hub;

/// <summary>
/// The local git repository being deployed: its root, tracked files (git ls-files), current branch, and a push
/// whose token travels in an environment-provided http.extraHeader (never on the command line or in a URL).
/// </summary>
public sealed class GitWorkspace
{
    GitWorkspace(string root) => Root = root;

    public string Root { get; }

    public static async Task<GitWorkspace> OpenAsync(string folder, CancellationToken ct)
    {
        var root = (await RunAsync(folder, ["rev-parse", "--show-toplevel"], null, null, ct).ConfigureAwait(false)).Trim();
        return new GitWorkspace(root);
    }

    /// <summary>Tracked files ('/'-separated, relative to the root) that exist in the working tree.</summary>
    public async Task<IReadOnlyList<string>> TrackedFilesAsync(CancellationToken ct)
    {
        var output = await RunAsync(Root, ["ls-files", "-z"], null, null, ct).ConfigureAwait(false);
        return [.. output.Split('\0', StringSplitOptions.RemoveEmptyEntries).Where(p => File.Exists(Path.Combine(Root, p))).Order(StringComparer.Ordinal)];
    }

    public async Task<string> CurrentBranchAsync(CancellationToken ct)
    {
        var branch = (await RunAsync(Root, ["rev-parse", "--abbrev-ref", "HEAD"], null, null, ct).ConfigureAwait(false)).Trim();
        return branch != "HEAD" ? branch : throw new DeployException("HEAD is detached: check out the branch to push first.");
    }

    /// <summary>git push {remote} HEAD:refs/heads/{branch}; basic auth "x-access-token:{token}" for https remotes.</summary>
    public Task PushAsync(string remote, string branch, string? token, SecretRedactor redactor, CancellationToken ct)
    {
        var environment = new Dictionary<string, string> { ["GIT_TERMINAL_PROMPT"] = "0" };
        if (token is not null)
        {
            var basic = Convert.ToBase64String(Encoding.ASCII.GetBytes("x-access-token:" + token));
            environment["GIT_CONFIG_COUNT"] = "1";
            environment["GIT_CONFIG_KEY_0"] = "http.extraHeader";
            environment["GIT_CONFIG_VALUE_0"] = "Authorization: Basic " + basic;
            redactor = new SecretRedactor(token, basic);
        }
        return RunAsync(Root, ["push", "--quiet", remote, $"HEAD:refs/heads/{branch}"], environment, redactor, ct);
    }

    static async Task<string> RunAsync(string folder, string[] args, Dictionary<string, string>? environment, SecretRedactor? redactor, CancellationToken ct)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment ?? []) start.Environment[name] = value;
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new DeployException("could not start git.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new DeployException("git is needed for deploy but was not found on PATH.", e);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
            if (process.ExitCode == 0) return await stdout.ConfigureAwait(false);
            var error = (redactor ?? new SecretRedactor()).Redact((await stderr.ConfigureAwait(false)).Trim());
            throw new DeployException($"git {args[0]} failed in {folder} (exit {process.ExitCode}): {error}");
        }
    }
}
