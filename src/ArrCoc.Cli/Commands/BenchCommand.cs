using System.CommandLine;

namespace ArrCoc.Cli.Commands;

/// <summary>`arrcoc bench ...`: benchmarks. Each subcommand prints a table, then one JSON object as its last line.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Benchmarks (figures as medians and ratios measured side by side in one run).");
        command.Subcommands.Add(BenchPipelineCommand.Create());
        command.Subcommands.Add(BenchModelCommand.Create());
        command.Subcommands.Add(BenchAskCommand.Create());
        return command;
    }
}
