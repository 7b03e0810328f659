using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ArrCoc.Hub.Fakes;

/// <summary>
/// A local GitHub REST API (the parts Octokit's repository calls use): GET /user, GET /repos/{owner}/{name},
/// POST /user/repos and /orgs/{org}/repos (201; 422 "name already exists on this account"). A repository's
/// clone_url is a local bare git repository, so a push really lands somewhere a test can look.
/// </summary>
public sealed class FakeGitHub : IAsyncDisposable
{
    readonly WebApplication app;
    readonly string root = Directory.CreateTempSubdirectory("arrcoc-fake-github-").FullName;

    FakeGitHub(WebApplication app) => this.app = app;

    /// <summary>e.g. "http://127.0.0.1:41236/api/v3/" (what GITHUB_API_URL would be, as for GitHub Enterprise).</summary>
    public string ApiUrl { get; private set; } = "";

    public string Login { get; set; } = "octo";

    public string ValidToken { get; set; } = "ghp_fakeTOKEN";

    public ConcurrentDictionary<string, (bool Private, string BarePath)> Repositories { get; } = new();

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public static async Task<FakeGitHub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var github = new FakeGitHub(app);
        github.Configure(app);
        await app.StartAsync();
        github.ApiUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/api/v3/";
        return github;
    }

    /// <summary>An existing repository (with an empty bare git repository behind it).</summary>
    public string AddRepository(string fullName, bool isPrivate)
    {
        var bare = Path.Combine(root, fullName + ".git");
        Directory.CreateDirectory(bare);
        Git(bare, "init", "--quiet", "--bare");
        Repositories[fullName] = (isPrivate, bare);
        return bare;
    }

    void Configure(WebApplication app)
    {
        app.Use(async (c, next) =>
        {
            Requests.Enqueue(new RecordedRequest(c.Request.Method, c.Request.Path + c.Request.QueryString, c.Request.Headers.Authorization.FirstOrDefault(), null));
            if (!string.Equals(c.Request.Headers.Authorization.FirstOrDefault(), "token " + ValidToken, StringComparison.OrdinalIgnoreCase))
            {
                c.Response.StatusCode = 401;
                await c.Response.WriteAsJsonAsync(new { message = "Bad credentials" });
                return;
            }
            await next(c);
        });
        var api = app.MapGroup("/api/v3"); // Octokit talks to any host but api.github.com as GitHub Enterprise: {base}/api/v3/
        api.MapGet("/user", () => Results.Json(new { login = Login, id = 1, type = "User" }));
        api.MapGet("/repos/{owner}/{name}", (string owner, string name) =>
            Repositories.ContainsKey($"{owner}/{name}") ? Results.Json(Json(owner, name)) : Results.Json(new { message = "Not Found" }, statusCode: 404));
        // Octokit labels its JSON bodies application/x-www-form-urlencoded (GitHub reads them as JSON anyway).
        api.MapPost("/user/repos", async (HttpContext c) => Create(Login, await BodyAsync(c)));
        api.MapPost("/orgs/{org}/repos", async (HttpContext c, string org) => Create(org, await BodyAsync(c)));
    }

    static async Task<JsonElement> BodyAsync(HttpContext c) => (await JsonDocument.ParseAsync(c.Request.Body)).RootElement;

    IResult Create(string owner, JsonElement body)
    {
        var name = body.GetProperty("name").GetString()!;
        if (Repositories.ContainsKey($"{owner}/{name}"))
            return Results.Json(new
            {
                message = "Repository creation failed.",
                errors = new[] { new { resource = "Repository", code = "custom", field = "name", message = "name already exists on this account" } },
            }, statusCode: 422);
        var isPrivate = body.TryGetProperty("private", out var p) && p.GetBoolean()
            || body.TryGetProperty("visibility", out var v) && v.GetString() == "private";
        AddRepository($"{owner}/{name}", isPrivate);
        return Results.Json(Json(owner, name), statusCode: 201);
    }

    object Json(string owner, string name)
    {
        var (isPrivate, bare) = Repositories[$"{owner}/{name}"];
        return new
        {
            id = Math.Abs($"{owner}/{name}".GetHashCode(StringComparison.Ordinal)),
            name,
            full_name = $"{owner}/{name}",
            owner = new { login = owner, id = 1 },
            @private = isPrivate,
            visibility = isPrivate ? "private" : "public",
            html_url = $"https://github.example/{owner}/{name}",
            clone_url = bare,
            default_branch = "main",
        };
    }

    /// <summary>Runs git in a folder and returns its output (tests use it to build and inspect repositories).</summary>
    public static string Git(string folder, params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"git {string.Join(' ', args)}: {error}");
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
