using System.CommandLine;
using ArrCoc.Cli;
using ArrCoc.Cli.Commands;

var root = new RootCommand("arrcoc: ARR-COC relevance realization for Qwen3-VL (analyze, bench, ...)")
{
    CliOptions.Verbose,
};
root.Subcommands.Add(AnalyzeCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(DownloadCommand.Create());
root.Subcommands.Add(DeployCommand.Create());

return await CliRunner.RunAsync(root, args);
