using System.CommandLine;

namespace ArrCoc.Cli.Tests;

/// <summary>The error contract for failures nobody expected: exit code 70 and one line on stderr.</summary>
public class CliRunnerTests
{
    static Command Failing()
    {
        var command = new Command("fail", "throws an unexpected exception");
        command.SetAction(Task<int> (_, _) => throw new InvalidOperationException("the index was\nout of range"));
        return command;
    }

    [Fact]
    public async Task InternalFailure_OneLineNamingTheErrorAndVerbose()
    {
        var run = await CliRun.RunAsync(Failing(), "fail");

        Assert.Equal(CliRunner.InternalError, run.ExitCode);
        var line = Assert.Single(run.Stderr.TrimEnd().Split('\n'));
        Assert.StartsWith("error: internal failure (InvalidOperationException): the index was out of range", line);
        Assert.EndsWith("(run again with --verbose for details)", line);
    }

    [Fact]
    public async Task InternalFailure_Verbose_AddsTheStackTrace()
    {
        var run = await CliRun.RunAsync(Failing(), "fail", "--verbose");

        Assert.Equal(CliRunner.InternalError, run.ExitCode);
        Assert.Contains("   at ArrCoc.Cli.Tests.CliRunnerTests", run.Stderr);
        Assert.DoesNotContain("run again with --verbose", run.Stderr);
    }
}
