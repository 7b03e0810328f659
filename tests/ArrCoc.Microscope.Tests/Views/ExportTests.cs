using System.Text.Json;
using ArrCoc.Engine.Service;
using ArrCoc.Microscope.Components.Tabs;
using ArrCoc.Microscope.Components.Views;
using Bunit;
using Microsoft.JSInterop;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ArrCoc.Microscope.Tests.Views;

/// <summary>
/// Export: the views drawn on the server are saved as PNGs through arrcoc.download, the Plotly views through
/// Plotly's own image download, the analysis as analysis.json.
/// </summary>
public class ExportTests : MicroscopeContext
{
    /// <summary>The file the last arrcoc.download call saved: name, content type, bytes.</summary>
    (string Name, string Type, byte[] Bytes) Saved()
    {
        var call = JSInterop.Invocations["arrcoc.download"].Last();
        var stream = (MemoryStream)((DotNetStreamReference)call.Arguments[2]!).Stream;
        return ((string)call.Arguments[0]!, (string)call.Arguments[1]!, stream.ToArray()); // ToArray works after disposal
    }

    static Image<Rgb24> Png(byte[] bytes) => Image.Load<Rgb24>(bytes);

    [Theory]
    [InlineData(MapKind.Information, "view-information", "knowing.information.png")]
    [InlineData(MapKind.Balanced, "view-balanced", "relevance.balanced.png")]
    public void Map_Export_SavesThePngAnalyzeWrites(MapKind kind, string testId, string file)
    {
        var result = Results.Analysis(rows: 4, columns: 5);
        var cut = Render<MapView>(p => p.Add(v => v.Kind, kind).Add(v => v.Result, result));

        cut.Find($"[data-testid={testId}-export]").Click();

        var (name, type, bytes) = Saved();
        Assert.Equal(file, name);
        Assert.Equal("image/png", type);
        var view = MapDescriptor.Of(kind);
        Assert.Equal(Export.ViewPngs.Map(view.Select(result), result), bytes);
        using var png = Png(bytes);
        Assert.True(png.Width > 0 && png.Height > 0);
    }

    [Fact]
    public void TextureChannels_Export_SavesTheChannelGrid()
    {
        var result = Results.Analysis();
        var cut = Render<TextureChannelsView>(p => p.Add(v => v.Result, result));

        cut.Find("[data-testid=view-texture-export]").Click();

        var (name, _, bytes) = Saved();
        Assert.Equal("texture.channels.png", name);
        Assert.Equal(Export.ViewPngs.TextureChannels(result), bytes);
    }

    [Fact]
    public void Selection_Export_WithAndWithoutTheImage()
    {
        var result = Results.Analysis(rows: 4, columns: 5);
        using var photo = new Image<Rgb24>(5 * ImageHandle.DisplayCellPixels, 4 * ImageHandle.DisplayCellPixels, new Rgb24(200, 40, 40));
        using var encoded = new MemoryStream();
        photo.SaveAsPng(encoded);
        var image = Results.Image() with { DisplayPng = encoded.ToArray() };

        var cut = Render<SelectionView>(p => p.Add(v => v.Result, result).Add(v => v.Image, image));
        cut.Find("[data-testid=view-selection-export]").Click();
        var (name, _, withImage) = Saved();

        Assert.Equal("attending.kept.png", name);
        using (var png = Png(withImage))
        {
            Assert.Equal(photo.Width, png.Width);
            Assert.Equal(photo.Height, png.Height);
        }

        cut.Render(p => p.Add(v => v.Image, (ImageHandle?)null));
        cut.Find("[data-testid=view-selection-export]").Click();
        var (_, _, alone) = Saved();

        Assert.Equal(2, JSInterop.Invocations["arrcoc.download"].Count);
        Assert.NotEqual(withImage, alone);
        using (var png = Png(alone))
            Assert.Equal(photo.Width, png.Width);
    }

    [Fact]
    public void Weights_Export_DownloadsEachChartThroughPlotly()
    {
        var series = new[] { WeightSeries.Of(Results.Analysis(question: "a")), WeightSeries.Of(Results.Analysis(question: "b", weights: [0.6f, 0.3f, 0.1f])) };
        var cut = Render<WeightsView>(p => p.Add(v => v.Series, series));

        cut.Find("[data-testid=view-weights-export]").Click();

        var downloads = JSInterop.Invocations.Where(i => i.Identifier.Contains("downloadImage", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Equal(2, downloads.Count);
        var arguments = downloads.Select(d => string.Join(" ", d.Arguments.Select(a => JsonSerializer.Serialize(a)))).ToList();
        Assert.Contains(arguments, a => a.Contains("\"attending.weights\"", StringComparison.Ordinal));
        Assert.Contains(arguments, a => a.Contains("\"attending.weights.ternary\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AskTab_ExportJson_SavesTheAnalysis()
    {
        await StartEngineAsync();
        var cut = RenderWithProviders<AskTab>();
        await cut.InvokeAsync(() => cut.Find("[data-testid=sample-shapes]").Click());
        cut.WaitForAssertion(() => cut.Find("[data-testid=image-info]"), TimeSpan.FromSeconds(60));
        await cut.InvokeAsync(() => cut.Find("[data-testid=analyze]").Click());
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-testid=view-selection]").GetAttribute("data-available")), TimeSpan.FromSeconds(60));

        await cut.InvokeAsync(() => cut.Find("[data-testid=export-json]").Click());

        var (name, type, bytes) = Saved();
        Assert.Equal("analysis.json", name);
        Assert.Equal("application/json", type);
        using var json = JsonDocument.Parse(bytes);
        Assert.Equal("shapes.png", json.RootElement.GetProperty("image").GetString());
        Assert.Equal(6, json.RootElement.GetProperty("kept").GetArrayLength());
        Assert.Equal(4, json.RootElement.GetProperty("grid")[0].GetInt32());
    }
}
