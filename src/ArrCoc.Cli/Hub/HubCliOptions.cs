using System.CommandLine;
using ArrCoc.Hub;

namespace ArrCoc.Cli.Hub;

/// <summary>Options shared by the verbs that talk to the Hub (download, deploy, and any --model that names a Hub id).</summary>
public static class HubCliOptions
{
    public static Option<string?> Cache() => new("--cache")
    {
        Description = "Hugging Face cache folder (default: HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache/huggingface/hub).",
    };

    public static Option<string?> TokenEnv() => new("--token-env")
    {
        Description = "Read the Hub token from this environment variable instead of HF_TOKEN (the token is never printed).",
    };

    /// <summary>
    /// For verbs that change what the token's account owns (deploy, train --push-to): the Hub token comes from
    /// HF_TOKEN only (or the variable --token-env names) — not from HUGGING_FACE_HUB_TOKEN or the token file, which
    /// downloads accept — so they never act for an account by accident.
    /// </summary>
    public static HubOptions ForWrites(Func<string, string?> environment) =>
        new(environment) { Token = environment("HF_TOKEN") is { } token && !string.IsNullOrWhiteSpace(token) ? token.Trim() : null };

    /// <summary>The environment's HubOptions with --cache and --token-env applied.</summary>
    public static HubOptions Apply(HubOptions options, string? cache, string? tokenEnv)
    {
        if (!string.IsNullOrWhiteSpace(cache)) options.CacheDir = Path.GetFullPath(cache);
        if (string.IsNullOrWhiteSpace(tokenEnv)) return options;
        var token = Environment.GetEnvironmentVariable(tokenEnv);
        if (string.IsNullOrWhiteSpace(token))
            throw new ArgumentException($"--token-env {tokenEnv}: that environment variable is not set or empty.");
        return options.WithToken(token);
    }
}
