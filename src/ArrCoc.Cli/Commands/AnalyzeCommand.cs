using System.CommandLine;
using System.Globalization;
using ArrCoc.Cli.Hub;
using ArrCoc.Engine.Analysis;
using ArrCoc.Engine.Integration;
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
        var model = new Option<string?>("--model") { Description = "Qwen3-VL model (folder or Hub id): use its query embedding and add the prompt's M-RoPE table; default: the fallback embedding, no model." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Output directory.", DefaultValueFactory = _ => new DirectoryInfo("arrcoc-analysis") };
        var arrcoc = new ArrCocCliOptions();
        var device = new DeviceCliOptions();

        var command = new Command("analyze", "Run the ARR-COC pipeline on an image and question; write analysis.json and one PNG per view.")
        {
            image, question, model, output,
        };
        arrcoc.AddTo(command);
        device.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = arrcoc.Options(parse);
            var ablation = arrcoc.Ablation(parse);
            var outDir = parse.GetValue(output)!;
            var limits = ImageLimitsEnvironment.Read();
            var request = new AnalysisRequest { Question = parse.GetValue(question)!, K = parse.GetValue(arrcoc.K), Ablation = ablation };

            ArrCocQwen? integrated = null;
            try
            {
                RelevanceAnalyzer analyzer;
                if (parse.GetValue(model) is { } modelReference)
                {
                    integrated = await device.LoadAsync(parse, modelReference, options, limits, cancellationToken).ConfigureAwait(false);
                    analyzer = integrated.Analyzer;
                }
                else
                {
                    if (parse.GetResult(device.Device) is { Implicit: false } || parse.GetResult(device.Dtype) is { Implicit: false })
                        throw new ArgumentException("--device and --dtype say where Qwen3-VL runs; they need --model (ARR-COC itself runs on the CPU)");
                    analyzer = new RelevanceAnalyzer(options, limits, new FallbackQueryEmbedder(options.FallbackQueryDim));
                }
                analyzer.ValidateQuestion(request.Question);
                using var prepared = analyzer.Prepare(ImageInput.FromFile(parse.GetValue(image)!.FullName, limits), arrcoc.GridSpec(parse));
                var result = analyzer.Analyze(prepared, request);
                if (integrated is not null) result = integrated.WithPrompt(prepared, result);

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
                if (result.Prompt is { } prompt) console.WriteLine($"prompt     {prompt.Count} tokens with the kept cells ({prompt.ImageTokens} image tokens)");
                console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"timings    {string.Join("  ", result.TimingsMs.Select(t => $"{t.Key} {t.Value:0.0} ms"))}"));
                console.WriteLine($"wrote      {Path.Combine(outDir.FullName, "analysis.json")} and {written} PNG views");
                return 0;
            }
            finally
            {
                integrated?.Dispose();
            }
        });
        return command;
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
