using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ArrCoc.EndToEnd.Tests;

/// <summary>
/// One browser tab on the Microscope, with the steps the tests share. Waits are for visible conditions (generous
/// timeouts for a 2-core machine), never fixed sleeps.
/// </summary>
internal sealed class BrowserSession : IAsyncDisposable
{
    public static readonly float Timeout = 90_000;

    readonly IBrowserContext context;
    readonly List<string> pageErrors = [];

    BrowserSession(IBrowserContext context, IPage page)
    {
        this.context = context;
        Page = page;
        page.PageError += (_, error) => pageErrors.Add(error);
    }

    public IPage Page { get; }

    public static async Task<BrowserSession> OpenAsync(MicroscopeServer server, string path = "")
    {
        SetDefaultExpectTimeout(Timeout);
        var context = await server.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1400, Height = 1000 },
        });
        context.SetDefaultTimeout(Timeout);
        var session = new BrowserSession(context, await context.NewPageAsync());
        await session.Page.GotoAsync(path);
        await Expect(session.Page.GetByTestId("microscope")).ToHaveAttributeAsync("data-interactive", "true");
        return session;
    }

    public ILocator ById(string testId) => Page.GetByTestId(testId);

    /// <summary>The input (or textarea) of a MudBlazor field, whether the test id sits on it or around it.</summary>
    public ILocator Input(string testId) =>
        Page.Locator($"[data-testid='{testId}'] :is(input, textarea), :is(input, textarea)[data-testid='{testId}']").First;

    public async Task UploadAsync(string name, byte[] bytes, string mime = "image/png") =>
        await ById("upload-input").SetInputFilesAsync(new FilePayload { Name = name, MimeType = mime, Buffer = bytes });

    public async Task UploadSampleAndAnalyzeAsync(string question = "What colour is the circle?")
    {
        await UploadAsync("shapes.png", RepositoryPaths.Sample("shapes.png"));
        await Expect(ById("image-info")).ToContainTextAsync("shapes.png");
        await Input("question").FillAsync(question);
        await ById("analyze").ClickAsync();
        await Expect(ById("view-selection")).ToHaveAttributeAsync("data-available", "true");
    }

    public async Task OpenTabAsync(string text)
    {
        await Page.Locator(".mud-tab", new() { HasText = text }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("tab=" + text.ToLowerInvariant()));
    }

    /// <summary>A view is shown with its Plotly chart drawn.</summary>
    public async Task ExpectViewAsync(string testId)
    {
        await Expect(ById(testId)).ToHaveAttributeAsync("data-available", "true");
        await Expect(ById(testId).Locator(".js-plotly-plot").First).ToBeVisibleAsync();
    }

    public async Task ScreenshotAsync(string name) =>
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(MicroscopeServer.ScreenshotFolder, name + ".png"), FullPage = true });

    /// <summary>Blazor's error bar stayed hidden and the page raised no script error.</summary>
    public async Task ExpectHealthyAsync()
    {
        await Expect(Page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        Assert.Empty(pageErrors);
    }

    public async ValueTask DisposeAsync() => await context.DisposeAsync();
}
