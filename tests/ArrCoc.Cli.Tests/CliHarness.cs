namespace ArrCoc.Cli.Tests;

/// <summary>Runs the real command tree in-process and captures stdout, stderr and the exit code.</summary>
internal static class CliHarness
{
    public static async Task<(int ExitCode, string Out, string Error)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliRunner.RunAsync(CliApp.Build(), args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
