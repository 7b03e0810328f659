using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ArrCoc.Hub.Fakes;

/// <summary>
/// A local Hugging Face Hub on 127.0.0.1 (Kestrel, port 0) that follows the real API as huggingface_hub sees it
/// (facts sheet §9): repo info and paged tree listings, resolve URLs (regular files with a git-sha1 ETag and
/// Range; LFS files as a 302 to the FakeCdn with X-Linked-Etag/X-Linked-Size/X-Repo-Commit), relative redirects (307 by default)
/// for renamed repositories, X-Error-Code errors (RepoNotFound, RevisionNotFound, EntryNotFound, GatedRepo),
/// injected 429/5xx, and the Spaces API (FakeHub.Spaces.cs). Every request is recorded.
/// </summary>
public sealed partial class FakeHub : IAsyncDisposable
{
    readonly WebApplication app;
    readonly ConcurrentDictionary<string, FakeRepo> repos = new();
    readonly ConcurrentQueue<(string Prefix, int Status)> faults = new();

    FakeHub(WebApplication app) => this.app = app;

    /// <summary>e.g. "http://127.0.0.1:41234" (what HF_ENDPOINT would be).</summary>
    public string BaseUrl { get; private set; } = "";

    public FakeCdn Cdn { get; } = new();

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Tokens the Hub accepts ("Bearer {token}").</summary>
    public HashSet<string> ValidTokens { get; } = [];

    /// <summary>Tokens whose account was granted access to gated repositories.</summary>
    public HashSet<string> ApprovedTokens { get; } = [];

    /// <summary>Old id → new id: every URL of the old id answers a relative redirect to the new one.</summary>
    public Dictionary<string, string> Renamed { get; } = [];

    /// <summary>The status of a renamed repository's redirect (the Hub sends 307; 301/302 are followed alike).</summary>
    public int RenamedStatus { get; set; } = 307;

    /// <summary>Tree entries per page (Link: rel="next" for the rest).</summary>
    public int TreePageSize { get; set; } = 1000;

    /// <summary>Serve regular files gzip-compressed (chunked, no length) whatever Accept-Encoding says.</summary>
    public bool GzipRegularFiles { get; set; }

    /// <summary>A careless server: put the caller's Authorization header into error messages.</summary>
    public bool EchoAuthorizationInErrors { get; set; }

    public static async Task<FakeHub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0", "http://127.0.0.1:0"); // the Hub, and its "storage" for pre-signed uploads
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var hub = new FakeHub(app);
        hub.Configure(app);
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Order().ToList();
        hub.BaseUrl = addresses[0].TrimEnd('/');
        hub.StorageUrl = addresses[1].TrimEnd('/');
        return hub;
    }

    public void Add(FakeRepo repo)
    {
        repos[repo.Id] = repo;
        foreach (var file in repo.Files.Values.Where(f => f.Lfs)) Cdn.Add(file);
    }

    /// <summary>The next <paramref name="times"/> requests whose path starts with the prefix get this status.</summary>
    public void FailNext(string pathPrefix, int status, int times = 1)
    {
        for (var i = 0; i < times; i++) faults.Enqueue((pathPrefix, status));
    }

    /// <summary>Requests to the Hub whose path contains the text.</summary>
    public IReadOnlyList<RecordedRequest> RequestsTo(string pathPart) =>
        [.. Requests.Where(r => r.PathAndQuery.Contains(pathPart, StringComparison.Ordinal))];

    public HubOptions Options(string cacheDir, string? token = null) => new(_ => null)
    {
        Endpoint = BaseUrl,
        Token = token,
        CacheDir = cacheDir,
        RetryBaseDelay = TimeSpan.FromMilliseconds(5),
        RetryMaxDelay = TimeSpan.FromMilliseconds(20),
        ReadTimeout = TimeSpan.FromSeconds(20),
    };

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        await Cdn.DisposeAsync();
    }
}
