using System.CommandLine;
using ArrCoc.Engine.Vqa;

namespace ArrCoc.Cli.Commands;

/// <summary>`arrcoc make-vqa`: a small synthetic dataset in the official VQAv2 layout (rendered shapes).</summary>
public static class MakeVqaCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Output directory.", Required = true };
        var count = new Option<int>("--n") { Description = "Number of questions (one image each).", DefaultValueFactory = _ => 200 };
        var split = new Option<string>("--split") { Description = "Split name in the file names.", DefaultValueFactory = _ => "train2014" };
        var seed = new Option<int>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 0 };
        var command = new Command("make-vqa", "Write a synthetic VQAv2-format dataset of rendered shapes (colour, count, presence, position questions; 10 answers each).")
        {
            output, count, split, seed,
        };
        command.SetAction(parse =>
        {
            int n = parse.GetValue(count);
            if (n < 1) throw new ArgumentOutOfRangeException(nameof(count), n, "--n must be at least 1");
            var dir = parse.GetValue(output)!;
            var examples = SyntheticVqa.Write(dir.FullName, n, parse.GetValue(split)!, parse.GetValue(seed));
            var byType = examples.GroupBy(e => e.AnswerType).Select(g => $"{g.Count()} {g.Key}");
            parse.InvocationConfiguration.Output.WriteLine($"wrote {examples.Count} questions ({string.Join(", ", byType)}) to {dir.FullName}");
            return 0;
        });
        return command;
    }
}
