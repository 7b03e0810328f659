using System.CommandLine;

namespace ArrCoc.Cli.Tests;

/// <summary>Runs verbs through the real CLI runner (error contract included) and keeps what they printed.</summary>
public sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    public string LastLine => Stdout.TrimEnd().Split('\n')[^1].Trim();

    public static async Task<CliRun> RunAsync(Command verb, params string[] args)
    {
        var root = new RootCommand("test") { CliOptions.Verbose };
        root.Subcommands.Add(verb);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliRunner.RunAsync(root, args, stdout, stderr);
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }
}
