using System.Net;
using ArrCoc.Qwen3VL.Fixture;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace ArrCoc.EndToEnd.Tests;

/// <summary>
/// The real Microscope on Kestrel at 127.0.0.1 on a free port (content root: the repository top), answering with the
/// real Qwen3-VL integration on the project's tiny fixture checkpoint (random weights, official layout), and Debian's
/// Chromium driven by Playwright. One per test collection.
/// </summary>
public sealed class MicroscopeServer : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    static readonly TempDirectory ModelFolder = new();
    readonly Factory factory = new();
    IPlaywright? playwright;

    /// <summary>The fixture checkpoint the server loads (Engine:Model).</summary>
    public static string Model { get; } = Path.Combine(ModelFolder.Path, "fixture");

    public Uri BaseAddress { get; private set; } = default!;

    public IBrowser Browser { get; private set; } = default!;

    public IServiceProvider Services => factory.Services;

    /// <summary>The server's log of the latest run (warnings and up, and the Microscope's own information).</summary>
    public static string ServerLog { get; } = Path.Combine(AppContext.BaseDirectory, "server.log");

    /// <summary>Where screenshots go: screenshots/ in the test output folder.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(Chromium))
            throw new InvalidOperationException($"the end-to-end tests need Chromium at {Chromium}: install it with `apt-get install chromium` (./setup.sh does)");
        File.Delete(ServerLog);
        Qwen3VLFixture.Write(Model, new FixtureOptions { Tied = true });
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.Single().Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");

        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
        Directory.CreateDirectory(ScreenshotFolder);
        await WarmUpAsync();
    }

    /// <summary>
    /// One page load and one analysis before the tests: the first circuit JIT-compiles Blazor, MudBlazor and the
    /// engine's paths, which on a cold 2-core machine takes longer than a test's waits should allow.
    /// </summary>
    async Task WarmUpAsync()
    {
        try
        {
            await using var session = await BrowserSession.OpenAsync(this);
            await session.UploadSampleAndAnalyzeAsync();
        }
        catch (PlaywrightException e)
        {
            // Best effort: the tests' own waits judge the server; this only keeps one-off start-up costs out of them.
            await File.AppendAllTextAsync(ServerLog, $"warm-up did not finish: {e.Message}\n");
        }
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        playwright?.Dispose();
        await factory.DisposeAsync();
        ModelFolder.Dispose();
    }

    sealed class Factory : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseContentRoot(RepositoryPaths.Root);
            builder.UseSetting("urls", "http://127.0.0.1:0");
            builder.UseSetting("Engine:Model", Model);
            builder.ConfigureLogging(logging => logging.AddProvider(new FileLoggerProvider(ServerLog)));
        }
    }
}

[CollectionDefinition(Name)]
public sealed class MicroscopeCollection : ICollectionFixture<MicroscopeServer>
{
    public const string Name = "microscope";
}
