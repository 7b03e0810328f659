using System.CommandLine;
using System.Globalization;
using ArrCoc.Core.Balancing;
using ArrCoc.Engine;
using ArrCoc.Engine.Analysis;
using ArrCoc.Engine.Images;
using ArrCoc.Engine.Query;
using ArrCoc.Engine.Rendering;
using SixLabors.ImageSharp;

namespace ArrCoc.Cli.Commands;

/// <summary>`arrcoc analyze`: run the ARR-COC pipeline on one image and question, write analysis.json and PNG views.</summary>
public static class AnalyzeCommand
{
    public static Command Create()
    {
        var image = new Option<FileInfo>("--image") { Description = "Image file (PNG, JPEG, WebP, GIF, BMP).", Required = true };
        var question = new Option<string>("--question") { Description = "The question about the image.", Required = true };
        var k = new Option<int?>("--k") { Description = "Cells to keep (1..N; default 200, or N when the grid is smaller)." };
        var grid = new Option<string>("--grid") { Description = "Grid: 32 (32x32 cells = 1024x1024 px), ROWSxCOLUMNS, or auto.", DefaultValueFactory = _ => "32" };
        var maxCells = new Option<int>("--max-cells") { Description = "Cell budget of --grid auto.", DefaultValueFactory = _ => 1024 };
        var checkpoint = new Option<FileInfo?>("--checkpoint") { Description = "ARR-COC weights (safetensors); default: untrained, seeded." };
        var seed = new Option<long>("--seed") { Description = "Seed of the untrained weights.", DefaultValueFactory = _ => 0 };
        var ablate = new Option<string?>("--ablate") { Description = "Ways of knowing to switch off: information,perspectival,participatory." };
        var weights = new Option<string?>("--weights") { Description = "Fixed balancer weights W_INFO,W_PERSP,W_PARTIC (normalised)." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Output directory.", DefaultValueFactory = _ => new DirectoryInfo("arrcoc-analysis") };

        var command = new Command("analyze", "Run the ARR-COC pipeline on an image and question; write analysis.json and one PNG per view.")
        {
            image, question, k, grid, maxCells, checkpoint, seed, ablate, weights, output,
        };
        command.SetAction(parse =>
        {
            var options = new ArrCocOptions
            {
                Grid = parse.GetValue(grid)!,
                MaxCells = parse.GetValue(maxCells),
                Checkpoint = parse.GetValue(checkpoint)?.FullName,
                Seed = parse.GetValue(seed),
            };
            var ablation = ParseAblation(parse.GetValue(ablate), parse.GetValue(weights));
            var outDir = parse.GetValue(output)!;
            var limits = new ImageLimitsOptions();

            var analyzer = new RelevanceAnalyzer(options, limits, new FallbackQueryEmbedder(options.FallbackQueryDim));
            analyzer.ValidateQuestion(parse.GetValue(question));
            using var prepared = analyzer.Prepare(ImageInput.FromFile(parse.GetValue(image)!.FullName, limits.MaxFileBytes), GridSpec.Parse(options.Grid, options.MaxCells));
            var result = analyzer.Analyze(prepared, new AnalysisRequest { Question = parse.GetValue(question)!, K = parse.GetValue(k), Ablation = ablation });

            outDir.Create();
            File.WriteAllBytes(Path.Combine(outDir.FullName, "analysis.json"), AnalysisJson.Serialize(result));
            var written = WriteViews(outDir.FullName, prepared, result);

            var console = parse.InvocationConfiguration.Output;
            console.WriteLine($"image      {result.ImageName} ({result.OriginalWidth}x{result.OriginalHeight}) -> grid {result.Rows}x{result.Columns}");
            console.WriteLine($"question   {result.Question}");
            console.WriteLine($"query      {result.QueryEmbeddingSource} embedding (D = {result.QueryVector.Length})");
            console.WriteLine($"weights    {result.Checkpoint}");
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"balancer   information {result.Relevance.Weights[0]:0.000}  perspectival {result.Relevance.Weights[1]:0.000}  participatory {result.Relevance.Weights[2]:0.000}"));
            console.WriteLine($"kept       {result.K} of {result.Relevance.Cells} cells");
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"timings    {string.Join("  ", result.TimingsMs.Select(t => $"{t.Key} {t.Value:0.0} ms"))}"));
            console.WriteLine($"wrote      {Path.Combine(outDir.FullName, "analysis.json")} and {written} PNG views");
            return 0;
        });
        return command;
    }

    /// <summary>Build the ablation from --ablate and --weights.</summary>
    internal static BalancerOverride ParseAblation(string? ablate, string? weights)
    {
        var ablation = new BalancerOverride
        {
            Disabled = WaysOfKnowing.ParseList(ablate),
            FixedWeights = weights is null ? null : ParseWeights(weights),
        };
        ablation.Validate();
        return ablation;
    }

    static double[] ParseWeights(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
                throw new FormatException($"--weights: '{parts[i]}' is not a number; give three, e.g. 0.2,0.3,0.5");
        return values;
    }

    /// <summary>One PNG per view that exists without a language model, named by registry names.</summary>
    static int WriteViews(string directory, PreparedImage prepared, AnalysisResult result)
    {
        var r = result.Relevance;
        var views = new (string Name, Func<SixLabors.ImageSharp.Image> Render)[]
        {
            ("texture.channels", () => ViewRenderer.TextureChannelGrid(r)),
            ("knowing.information", () => ViewRenderer.Map(r.Information, r.Rows, r.Columns)),
            ("knowing.perspectival", () => ViewRenderer.Map(r.Perspectival, r.Rows, r.Columns)),
            ("knowing.participatory", () => ViewRenderer.Map(r.Participatory, r.Rows, r.Columns)),
            ("relevance.balanced", () => ViewRenderer.Map(r.Balanced, r.Rows, r.Columns)),
            ("attending.kept", () => ViewRenderer.KeptOverlay(prepared.Resized, r)),
        };
        foreach (var (name, render) in views)
        {
            using var picture = render();
            picture.SaveAsPng(Path.Combine(directory, name + ".png"));
        }
        return views.Length;
    }
}
