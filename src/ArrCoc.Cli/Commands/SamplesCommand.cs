using System.CommandLine;
using System.Text.Json;
using ArrCoc.Engine.Samples;
using SixLabors.ImageSharp;

namespace ArrCoc.Cli.Commands;

/// <summary>`arrcoc samples`: render the bundled sample scenes (PNG) and their suggested questions (samples.json).</summary>
public static class SamplesCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Output directory.", DefaultValueFactory = _ => new DirectoryInfo("samples") };
        var command = new Command("samples", "Render the bundled sample images (made by the project) and samples.json with suggested questions.") { output };
        command.SetAction(parse =>
        {
            var dir = parse.GetValue(output)!;
            dir.Create();
            foreach (var scene in SampleScenes.All)
            {
                using var image = scene.Render();
                image.SaveAsPng(Path.Combine(dir.FullName, scene.Id + ".png"));
            }
            var index = SampleScenes.All.Select(s => new { id = s.Id, title = s.Title, file = s.Id + ".png", questions = s.Questions });
            File.WriteAllText(Path.Combine(dir.FullName, "samples.json"), JsonSerializer.Serialize(index, new JsonSerializerOptions { WriteIndented = true }) + "\n");
            parse.InvocationConfiguration.Output.WriteLine($"wrote {SampleScenes.All.Count} samples to {dir.FullName}");
            return 0;
        });
        return command;
    }
}
