using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace ArrCoc.EndToEnd.Tests.Deployment;

/// <summary>
/// The container's entrypoint without Docker: `dotnet publish -c Release` output (exactly what the image runs),
/// started from its own folder on a loopback port with a clean HOME, answers /healthz and /readyz.
/// </summary>
public sealed class PublishedAppTests : IAsyncLifetime
{
    readonly TempDirectory _temp = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task PublishedApp_StartsWithACleanHome_AnswersHealthAndReadiness()
    {
        var output = _temp.File("publish");
        var publish = await ChildProcess.RunAsync("dotnet", ["publish", Path.Combine(RepositoryPaths.Root, "src", "ArrCoc.Microscope"), "-c", "Release", "-o", output, "--nologo"],
            RepositoryPaths.Root, TimeSpan.FromMinutes(10));
        Assert.True(publish.ExitCode == 0, publish.Output);
        foreach (var file in new[] { "ArrCoc.Microscope", "ArrCoc.Microscope.dll", "appsettings.json", Path.Combine("wwwroot", "css", "microscope.css") })
            Assert.True(File.Exists(Path.Combine(output, file)), file + " is missing from the publish output");

        var home = _temp.File("home");
        Directory.CreateDirectory(home);
        int port = FreePort();
        var start = new ProcessStartInfo(Path.Combine(output, "ArrCoc.Microscope")) { WorkingDirectory = output, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["HOME"] = home;
        start.Environment["HF_HOME"] = Path.Combine(home, ".cache", "huggingface");
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment.Remove("HF_TOKEN");
        using var app = Process.Start(start)!;
        var log = new System.Text.StringBuilder();
        app.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        app.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        app.BeginOutputReadLine();
        app.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(5) };
            HttpResponseMessage? health = null;
            for (var clock = Stopwatch.StartNew(); clock.Elapsed < TimeSpan.FromSeconds(90) && !app.HasExited; await Task.Delay(250))
            {
                try { health = await http.GetAsync("healthz"); break; }
                catch (HttpRequestException) { }
            }
            Assert.False(app.HasExited, "the published app exited: " + log);
            Assert.NotNull(health);
            Assert.Equal(HttpStatusCode.OK, health!.StatusCode);
            Assert.Equal("ok", await health.Content.ReadAsStringAsync());

            // No model configured: the microscope runs, readiness says why answering is off.
            var ready = await http.GetAsync("readyz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            using var state = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
            Assert.Equal("NotConfigured", state.RootElement.GetProperty("state").GetString());
            var page = await http.GetStringAsync("");
            Assert.Contains("ARR-COC Microscope", page);
        }
        finally
        {
            if (!app.HasExited) app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
        }
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
