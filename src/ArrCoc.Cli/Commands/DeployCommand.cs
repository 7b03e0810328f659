using System.CommandLine;
using ArrCoc.Cli.Hub;
using ArrCoc.Hub;

namespace ArrCoc.Cli.Commands;

/// <summary>
/// `arrcoc deploy --space OWNER/NAME [--hardware NAME] [--github OWNER/NAME] [--dry-run] ...`: a private Hugging Face
/// Space built from this repository's Dockerfile, optionally mirrored to a private GitHub repository. The flow
/// lives in ArrCoc.Hub's SpaceDeployer; this verb only turns options into a DeployRequest.
/// </summary>
public static class DeployCommand
{
    /// <param name="hubEnvironment">Hub options source (tests pass their fake Hub's).</param>
    /// <param name="gitHubEnvironment">GitHub options source (tests pass their fake GitHub's).</param>
    public static Command Create(Func<HubOptions>? hubEnvironment = null, Func<GitHubOptions>? gitHubEnvironment = null)
    {
        hubEnvironment ??= () => HubCliOptions.ForWrites(Environment.GetEnvironmentVariable);
        gitHubEnvironment ??= () => new GitHubOptions();
        var space = new Option<string>("--space") { Description = "The Space, OWNER/NAME (created private if absent, made private if public).", Required = true };
        var hardware = new Option<string?>("--hardware") { Description = "Hardware to request, e.g. cpu-upgrade, t4-small, l4x1, a10g-small." };
        var github = new Option<string?>("--github") { Description = "Once the Space runs, also push the current branch to this private GitHub repository, OWNER/NAME (token from GITHUB_TOKEN)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the plan and the files; change nothing." };
        var model = new Option<string?>("--model") { Description = $"Model id the Space serves (sets the variable {DeployRequest.ModelVariable})." };
        var variables = new Option<string[]>("--variable") { Description = "A Space variable KEY=VALUE (repeatable).", AllowMultipleArgumentsPerToken = false };
        var passToken = new Option<bool>("--pass-hf-token") { Description = "Give the Space this HF token as its HF_TOKEN secret (for private or gated models)." };
        var tokenEnv = HubCliOptions.TokenEnv();
        var path = new Option<string>("--path") { Description = "Folder of the git repository to deploy.", DefaultValueFactory = _ => "." };
        var timeout = new Option<int>("--timeout") { Description = "Minutes to wait for the Space to reach RUNNING.", DefaultValueFactory = _ => 45 };
        var poll = new Option<double>("--poll") { Description = "Seconds between two looks at the Space's build stage.", DefaultValueFactory = _ => 5 };
        var command = new Command("deploy", "Deploy to a private Hugging Face Space (privacy verified before any upload), optionally mirrored to a private GitHub repository.")
        {
            space, hardware, github, dryRun, model, variables, passToken, tokenEnv, path, timeout, poll,
        };
        command.SetAction(async (parse, ct) =>
        {
            var options = HubCliOptions.Apply(hubEnvironment(), cache: null, parse.GetValue(tokenEnv));
            var vars = ParseVariables(parse.GetValue(variables) ?? []);
            if (parse.GetValue(model) is { } modelId) vars[DeployRequest.ModelVariable] = modelId;
            var secrets = new Dictionary<string, string>();
            if (parse.GetValue(passToken))
                secrets["HF_TOKEN"] = options.Token ?? throw new ArgumentException("--pass-hf-token: no HF token is set (HF_TOKEN or --token-env).");
            var request = new DeployRequest
            {
                Space = RepoId.Parse(parse.GetValue(space)!),
                Folder = Path.GetFullPath(parse.GetValue(path)!),
                Hardware = parse.GetValue(hardware),
                GitHubRepository = parse.GetValue(github),
                DryRun = parse.GetValue(dryRun),
                Variables = vars,
                Secrets = secrets,
                BuildTimeout = TimeSpan.FromMinutes(Math.Max(1, parse.GetValue(timeout))),
                PollInterval = TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(poll))),
            };
            using var hub = new HubConnection(options);
            await new SpaceDeployer(hub, gitHubEnvironment(), parse.InvocationConfiguration.Output).DeployAsync(request, ct).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    static Dictionary<string, string> ParseVariables(IEnumerable<string> items)
    {
        var result = new Dictionary<string, string>();
        foreach (var item in items)
        {
            var eq = item.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) throw new ArgumentException($"--variable '{item}': expected KEY=VALUE.");
            result[item[..eq]] = item[(eq + 1)..];
        }
        return result;
    }
}
