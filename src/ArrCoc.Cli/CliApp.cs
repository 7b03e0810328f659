using System.CommandLine;
using ArrCoc.Cli.Commands;

namespace ArrCoc.Cli;

/// <summary>The `arrcoc` command tree.</summary>
public static class CliApp
{
    public static RootCommand Build()
    {
        var root = new RootCommand("arrcoc: ARR-COC relevance realization for Qwen3-VL")
        {
            CliOptions.Verbose,
        };
        root.Subcommands.Add(AnalyzeCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(SamplesCommand.Create());
        root.Subcommands.Add(MakeVqaCommand.Create());
        root.Subcommands.Add(DownloadCommand.Create());
        root.Subcommands.Add(DeployCommand.Create());
        root.Subcommands.Add(AskCommand.Create());
        root.Subcommands.Add(TokenizeCommand.Create());
        root.Subcommands.Add(FixtureCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(ValidateCommand.Create());
        return root;
    }
}
