using System.Net;
using System.Text.Json;
using static Microsoft.Playwright.Assertions;

namespace ArrCoc.EndToEnd.Tests;

[Collection(MicroscopeCollection.Name)]
public class MicroscopeTests(MicroscopeServer server)
{
    [Fact]
    public async Task Ask_UploadAnalyzeAndAsk_StreamsTheAnswerFromTheKeptTokens()
    {
        await using var browser = await BrowserSession.OpenAsync(server);
        await Expect(browser.ById("model-state")).ToContainTextAsync("ready");

        await browser.UploadSampleAndAnalyzeAsync();
        await Expect(browser.ById("view-selection-k")).ToContainTextAsync("K = 200");
        await browser.Input("all-tokens").CheckAsync();
        await browser.ById("ask").ClickAsync();

        // The fixture's random weights answer gibberish; what matters is that it streams from the kept tokens.
        await Expect(browser.ById("answer-kept")).ToHaveAttributeAsync("data-phase", "Done", new() { Timeout = 120_000 });
        await Expect(browser.ById("answer-all")).ToHaveAttributeAsync("data-phase", "Done", new() { Timeout = 120_000 });
        // (its greedy answer may be only whitespace: count characters, not visible text)
        Assert.True(await browser.ById("answer-kept-text").EvaluateAsync<int>("e => e.textContent.length") > 0);
        await Expect(browser.ById("answer-kept-facts")).ToContainTextAsync("200 image tokens");
        await Expect(browser.ById("answer-all-facts")).ToContainTextAsync("1024 image tokens");
        await browser.ScreenshotAsync("tab-ask");
        await browser.ExpectHealthyAsync();
    }

    [Fact]
    public async Task Tabs_AfterAnAnswer_ShowAllEightViewsAndTheInspector()
    {
        await using var browser = await BrowserSession.OpenAsync(server);
        await browser.UploadSampleAndAnalyzeAsync();
        await browser.ById("ask").ClickAsync();
        await Expect(browser.ById("answer-kept")).ToHaveAttributeAsync("data-phase", "Done", new() { Timeout = 120_000 });

        await browser.OpenTabAsync("Texture");
        await browser.ExpectViewAsync("view-texture");
        await Expect(browser.ById("view-texture").Locator(".js-plotly-plot")).ToHaveCountAsync(14);
        await browser.ById("texture.ch00-enlarge").ClickAsync();
        await Expect(browser.ById("texture-enlarged")).ToHaveAttributeAsync("data-channel", "0");
        await browser.Input("inspector-row").FillAsync("5");
        await browser.Input("inspector-row").PressAsync("Enter");
        await Expect(browser.ById("inspector-facts")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("tab-texture");

        await browser.OpenTabAsync("Knowing");
        foreach (var view in new[] { "view-information", "view-perspectival", "view-participatory", "view-balanced" })
            await browser.ExpectViewAsync(view);
        await Expect(browser.ById("inspector-facts")).ToBeVisibleAsync();
        await browser.Input("switch-participatory").UncheckAsync();
        await Expect(browser.ById("knowing-weights")).ToContainTextAsync("participatory 0.000");
        await browser.ScreenshotAsync("tab-knowing");

        await browser.OpenTabAsync("Attending");
        foreach (var view in new[] { "view-selection", "view-weights", "view-positions" })
            await browser.ExpectViewAsync(view);
        await Expect(browser.ById("view-positions-summary")).ToContainTextAsync("200 image");
        await browser.ScreenshotAsync("tab-attending");
        await browser.ExpectHealthyAsync();
    }

    [Fact]
    public async Task Compare_TwoQuestions_ShowsWeightsMapsAndOverlap()
    {
        await using var browser = await BrowserSession.OpenAsync(server);
        await browser.UploadSampleAndAnalyzeAsync();

        await browser.OpenTabAsync("Compare");
        await browser.Input("compare-question-0").FillAsync("Where is the red circle?");
        await browser.Input("compare-question-1").FillAsync("How many shapes are there?");
        await browser.ById("compare-run").ClickAsync();

        await browser.ExpectViewAsync("compare-weights");
        await Expect(browser.ById("compare-weights-ternary").Locator(".js-plotly-plot")).ToBeVisibleAsync();
        await browser.ExpectViewAsync("compare-participatory-0");
        await browser.ExpectViewAsync("compare-participatory-1");
        await Expect(browser.ById("overlap-0-0")).ToHaveTextAsync("1.00");
        await browser.ById("checkpoint-run").ClickAsync();
        await browser.ExpectViewAsync("checkpoint-b-balanced");
        await Expect(browser.ById("checkpoint-overlap")).ToContainTextAsync("kept by both");
        await browser.ScreenshotAsync("tab-compare");
        await browser.ExpectHealthyAsync();
    }

    [Fact]
    public async Task Upload_BadFile_ShowsAMessageAndKeepsThePage()
    {
        await using var browser = await BrowserSession.OpenAsync(server);
        await browser.UploadSampleAndAnalyzeAsync();

        await browser.UploadAsync("notes.txt", "just some text, not an image"u8.ToArray(), "text/plain");

        await Expect(browser.Page.Locator(".mud-snackbar")).ToContainTextAsync("notes.txt: not a supported image");
        await Expect(browser.ById("image-info")).ToContainTextAsync("shapes.png");
        await Expect(browser.ById("view-selection")).ToHaveAttributeAsync("data-available", "true");
        await browser.Input("question").FillAsync("");
        await browser.ById("analyze").ClickAsync();
        await Expect(browser.Page.Locator(".mud-snackbar", new() { HasText = "question is empty" })).ToBeVisibleAsync();
        await browser.ExpectHealthyAsync();
    }

    [Fact]
    public async Task Health_LivenessAndReadiness_ReportTheModel()
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        Assert.Equal("ok", await http.GetStringAsync("healthz"));
        for (int i = 0; i < 100 && (await http.GetAsync("readyz")).StatusCode != HttpStatusCode.OK; i++) await Task.Delay(100);
        using var ready = JsonDocument.Parse(await http.GetStringAsync("readyz"));
        Assert.Equal("Ready", ready.RootElement.GetProperty("state").GetString());
        Assert.Equal(MicroscopeServer.Model, ready.RootElement.GetProperty("model").GetString());
    }
}
