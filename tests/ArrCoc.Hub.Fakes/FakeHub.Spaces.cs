using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ArrCoc.Hub.Fakes;

/// <summary>
/// The Spaces side of the fake Hub (facts sheet §1–4, §9): create (409 when it exists; "private" or
/// "visibility"), settings, info, validate-yaml, preupload (LFS for binary samples or ≥ 10 MB), the Git LFS batch
/// API with basic and multipart uploads to pre-signed URLs on a second port, the NDJSON commit (content type
/// enforced, lfsFile only when uploaded, parentCommit checked), secrets, variables, hardware, a scripted runtime
/// and SSE build logs. Every state change is appended to SpaceEvents.
/// </summary>
public sealed partial class FakeHub
{
    public ConcurrentDictionary<string, FakeSpace> Spaces { get; } = new();

    /// <summary>"create o/n private=True", "settings o/n private=True", "preupload o/n", "lfs-upload {oid}", "commit o/n", ...</summary>
    public ConcurrentQueue<string> SpaceEvents { get; } = new();

    /// <summary>Requests that reached the storage port (pre-signed upload URLs).</summary>
    public ConcurrentQueue<RecordedRequest> StorageRequests { get; } = new();

    public ConcurrentDictionary<string, byte[]> LfsObjects { get; } = new();

    /// <summary>Create answers 403 (a token that may write to its repositories but not create any, as the Hub does).</summary>
    public bool ForbidCreate { get; set; }

    /// <summary>The settings call answers 200 but changes nothing (a Hub that ignores the field).</summary>
    public bool IgnoreSettingsChanges { get; set; }

    /// <summary>LFS objects larger than this are uploaded in parts of MultipartChunk bytes.</summary>
    public int MultipartThreshold { get; set; } = int.MaxValue;

    public int MultipartChunk { get; set; } = 64 * 1024;

    /// <summary>The raw NDJSON of the last commit.</summary>
    public string? LastCommitBody { get; private set; }

    /// <summary>e.g. "http://127.0.0.1:41235": where pre-signed upload URLs point.</summary>
    public string StorageUrl { get; private set; } = "";

    public FakeSpace AddSpace(string id, bool isPrivate)
    {
        var space = new FakeSpace(id) { Private = isPrivate };
        Spaces[id] = space;
        return space;
    }

    void MapSpaces(WebApplication app)
    {
        app.MapPost("/api/repos/create", (HttpContext c, JsonElement body) => Authorized(c, () => CreateRepo(body)));
        app.MapPut("/api/spaces/{ns}/{name}/settings", (HttpContext c, string ns, string name, JsonElement body) =>
            WithSpace(c, ns, name, space =>
            {
                var wanted = WantsPrivate(body);
                SpaceEvents.Enqueue($"settings {space.Id} private={wanted}");
                if (wanted is { } p && !IgnoreSettingsChanges) space.Private = p;
                return Results.Json(new { });
            }));
        app.MapGet("/api/spaces/{ns}/{name}", (HttpContext c, string ns, string name) => WithSpace(c, ns, name, space => Results.Json(new
        {
            id = space.Id,
            @private = space.Private,
            sha = space.Commit,
            sdk = space.Sdk,
            host = $"https://{space.Subdomain}.hf.space",
            subdomain = space.Subdomain,
            runtime = Runtime(space),
        })));
        app.MapPost("/api/validate-yaml", (HttpContext c, JsonElement body) => Authorized(c, () =>
        {
            var text = body.GetProperty("content").GetString() ?? "";
            return text.StartsWith("---", StringComparison.Ordinal) && text.Contains("sdk: docker", StringComparison.Ordinal)
                ? Results.Json(new { warnings = Array.Empty<object>() })
                : Results.Json(new { errors = new[] { new { message = "\"sdk\" is required" } } }, statusCode: 400);
        }));
        app.MapPost("/api/spaces/{ns}/{name}/preupload/{rev}", (HttpContext c, string ns, string name, JsonElement body) =>
            WithSpace(c, ns, name, space => Preupload(space, body)));
        app.MapPost("/spaces/{ns}/{name}.git/info/lfs/objects/batch", (HttpContext c, string ns, string name, JsonElement body) =>
            WithSpace(c, ns, name, space => LfsBatch(space, body)));
        app.MapPost("/spaces/{ns}/{name}.git/info/lfs/objects/verify", (HttpContext c, string ns, string name, JsonElement body) =>
            WithSpace(c, ns, name, _ => LfsObjects.ContainsKey(body.GetProperty("oid").GetString()!) ? Results.Json(new { }) : Results.StatusCode(404)));
        app.MapPut("/storage/{oid}", async (HttpContext c, string oid) => await Storage(c, () => StoreObject(oid, c)));
        app.MapPut("/storage/{oid}/part/{n:int}", async (HttpContext c, string oid, int n) => await Storage(c, () => StorePart(oid, n, c)));
        app.MapPost("/storage/{oid}/complete", async (HttpContext c, string oid) => await Storage(c, () => CompleteMultipart(oid, c)));
        app.MapPost("/api/spaces/{ns}/{name}/commit/{rev}", async (HttpContext c, string ns, string name) =>
        {
            var text = await new StreamReader(c.Request.Body).ReadToEndAsync();
            return WithSpace(c, ns, name, space => Commit(c, space, text));
        });
        app.MapPost("/api/spaces/{ns}/{name}/hardware", (HttpContext c, string ns, string name, JsonElement body) => WithSpace(c, ns, name, space =>
        {
            space.Hardware = body.GetProperty("flavor").GetString();
            SpaceEvents.Enqueue($"hardware {space.Id} {space.Hardware}");
            return Results.Json(Runtime(space));
        }));
        app.MapPost("/api/spaces/{ns}/{name}/secrets", (HttpContext c, string ns, string name, JsonElement body) => WithSpace(c, ns, name, space =>
        {
            space.Secrets[body.GetProperty("key").GetString()!] = body.GetProperty("value").GetString()!;
            SpaceEvents.Enqueue($"secret {space.Id} {body.GetProperty("key").GetString()}");
            return Results.Json(new { });
        }));
        app.MapPost("/api/spaces/{ns}/{name}/variables", (HttpContext c, string ns, string name, JsonElement body) => WithSpace(c, ns, name, space =>
        {
            space.Variables[body.GetProperty("key").GetString()!] = body.GetProperty("value").GetString()!;
            SpaceEvents.Enqueue($"variable {space.Id} {body.GetProperty("key").GetString()}");
            return Results.Json(space.Variables.ToDictionary(kv => kv.Key, kv => new { value = kv.Value }));
        }));
        app.MapGet("/api/spaces/{ns}/{name}/runtime", (HttpContext c, string ns, string name) => WithSpace(c, ns, name, space =>
        {
            var runtime = Runtime(space);
            space.StageIndex++;
            return Results.Json(runtime);
        }));
        app.MapGet("/api/spaces/{ns}/{name}/logs/{which}", (HttpContext c, string ns, string name) => WithSpace(c, ns, name, space =>
            Results.Text(string.Concat(space.BuildLogs.Select(l => $"data: {JsonSerializer.Serialize(new { data = l, timestamp = "2026-01-01T00:00:00Z" })}\n\ndata: \n\n")),
                "text/event-stream")));
    }

    IResult CreateRepo(JsonElement body)
    {
        var id = $"{body.GetProperty("organization").GetString()}/{body.GetProperty("name").GetString()}";
        var wanted = WantsPrivate(body);
        var type = body.TryGetProperty("type", out var t) && t.GetString() is { } named ? named : "model"; // the Hub's default
        SpaceEvents.Enqueue(type == "space" ? $"create {id} private={wanted}" : $"create {type} {id} private={wanted}");
        if (ForbidCreate)
            return Results.Json(new { error = "You don't have the rights to create a repo under the namespace" }, statusCode: 403);
        if (type == "model")
        {
            if (repos.ContainsKey(id))
                return Results.Json(new { error = "You already created this model repo", url = $"{BaseUrl}/{id}" }, statusCode: 409);
            Add(new FakeRepo(id) { Private = wanted ?? false, Commit = new string('0', 40) });
            return Results.Json(new { url = $"{BaseUrl}/{id}", name = id, id = "67cae57bc3f95553ede73be8" });
        }
        if (Spaces.ContainsKey(id))
            return Results.Json(new { error = "You already created this space repo", url = $"{BaseUrl}/spaces/{id}" }, statusCode: 409);
        var space = AddSpace(id, wanted ?? false);
        space.Sdk = body.GetProperty("sdk").GetString() ?? "";
        return Results.Json(new { url = $"{BaseUrl}/spaces/{id}", name = id, id = "67cae57bc3f95553ede73be7" });
    }

    /// <summary>"private": bool or "visibility": "private"/"public"; contradicting spellings are a 400 (as a strict Hub might).</summary>
    static bool? WantsPrivate(JsonElement body)
    {
        bool? byFlag = body.TryGetProperty("private", out var p) && p.ValueKind is JsonValueKind.True or JsonValueKind.False ? p.GetBoolean() : null;
        bool? byVisibility = body.TryGetProperty("visibility", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() == "private" : null;
        if (byFlag is not null && byVisibility is not null && byFlag != byVisibility) throw new BadHttpRequestException("private and visibility disagree");
        return byFlag ?? byVisibility;
    }

    IResult Preupload(IFakeFiles repo, JsonElement body)
    {
        SpaceEvents.Enqueue($"preupload {repo.Id}");
        var files = body.GetProperty("files").EnumerateArray().Select(f =>
        {
            var path = f.GetProperty("path").GetString()!;
            var sample = Convert.FromBase64String(f.GetProperty("sample").GetString()!);
            var lfs = f.GetProperty("size").GetInt64() >= 10 * 1024 * 1024 || sample.Contains((byte)0);
            string? oid = repo.TryGetFile(path, out var existing, out var existingLfs)
                ? existingLfs ? Convert.ToHexStringLower(SHA256.HashData(existing)) : FakeFile.GitBlobSha1(existing)
                : null;
            return new { path, uploadMode = lfs ? "lfs" : "regular", shouldIgnore = false, oid };
        }).ToList();
        return Results.Json(new { files, commitOid = repo.Commit });
    }

    IResult LfsBatch(IFakeFiles repo, JsonElement body)
    {
        SpaceEvents.Enqueue($"lfs-batch {repo.Id}");
        var objects = body.GetProperty("objects").EnumerateArray().Select(o =>
        {
            var oid = o.GetProperty("oid").GetString()!;
            var size = o.GetProperty("size").GetInt64();
            if (LfsObjects.ContainsKey(oid)) return (object)new { oid, size };
            var verify = new { href = $"{BaseUrl}/{repo.GitPrefix}{repo.Id}.git/info/lfs/objects/verify", header = new Dictionary<string, string>() };
            if (size <= MultipartThreshold)
                return new { oid, size, actions = new { upload = new { href = $"{StorageUrl}/storage/{oid}?X-Amz-Signature=s", header = new Dictionary<string, string>() }, verify } };
            var header = new Dictionary<string, string> { ["chunk_size"] = MultipartChunk.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            for (var part = 1; part <= (size + MultipartChunk - 1) / MultipartChunk; part++)
                header[part.ToString(System.Globalization.CultureInfo.InvariantCulture)] = $"{StorageUrl}/storage/{oid}/part/{part}?X-Amz-Signature=s";
            return new { oid, size, actions = new { upload = new { href = $"{StorageUrl}/storage/{oid}/complete?X-Amz-Signature=s", header }, verify } };
        }).ToList();
        return Results.Json(new { transfer = "basic", objects }, contentType: "application/vnd.git-lfs+json");
    }

    readonly ConcurrentDictionary<(string Oid, int Part), byte[]> parts = new();

    async Task<IResult> Storage(HttpContext c, Func<Task<IResult>> then)
    {
        StorageRequests.Enqueue(new RecordedRequest(c.Request.Method, c.Request.Path + c.Request.QueryString, c.Request.Headers.Authorization.FirstOrDefault(), null));
        return c.Request.Host.ToString() == new Uri(StorageUrl).Authority ? await then() : Results.StatusCode(404);
    }

    async Task<IResult> StoreObject(string oid, HttpContext c)
    {
        var bytes = await ReadBodyAsync(c);
        if (Convert.ToHexStringLower(SHA256.HashData(bytes)) != oid) return Results.StatusCode(400);
        LfsObjects[oid] = bytes;
        SpaceEvents.Enqueue($"lfs-upload {oid}");
        return Results.Ok();
    }

    async Task<IResult> StorePart(string oid, int n, HttpContext c)
    {
        parts[(oid, n)] = await ReadBodyAsync(c);
        c.Response.Headers.ETag = $"\"etag-{n}\"";
        return Results.Ok();
    }

    async Task<IResult> CompleteMultipart(string oid, HttpContext c)
    {
        using var json = await JsonDocument.ParseAsync(c.Request.Body);
        var numbers = json.RootElement.GetProperty("parts").EnumerateArray()
            .Select(p => (Number: p.GetProperty("partNumber").GetInt32(), Etag: p.GetProperty("etag").GetString())).ToList();
        if (numbers.Any(p => p.Etag != $"\"etag-{p.Number}\"")) return Results.StatusCode(400);
        var bytes = numbers.OrderBy(p => p.Number).SelectMany(p => parts[(oid, p.Number)]).ToArray();
        if (Convert.ToHexStringLower(SHA256.HashData(bytes)) != oid) return Results.StatusCode(400);
        LfsObjects[oid] = bytes;
        SpaceEvents.Enqueue($"lfs-multipart {oid} {numbers.Count}");
        return Results.Ok();
    }

    IResult Commit(HttpContext c, IFakeFiles repo, string ndjson)
    {
        if (c.Request.ContentType != "application/x-ndjson")
            return Results.Json(new { error = $"Content-Type must be application/x-ndjson, not {c.Request.ContentType}" }, statusCode: 400);
        var lines = ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        if (lines.Count == 0 || lines[0].GetProperty("key").GetString() != "header")
            return Results.Json(new { error = "the first line must be the header" }, statusCode: 400);
        var header = lines[0].GetProperty("value");
        if (header.TryGetProperty("parentCommit", out var parent) && parent.GetString() is { } p && p != repo.Commit)
            return Results.Json(new { error = "A commit has happened since. Please refresh and try again." }, statusCode: 412);
        foreach (var line in lines.Skip(1))
        {
            var value = line.GetProperty("value");
            var path = value.GetProperty("path").GetString()!;
            switch (line.GetProperty("key").GetString())
            {
                case "file":
                    repo.SetFile(path, Convert.FromBase64String(value.GetProperty("content").GetString()!), lfs: false);
                    break;
                case "lfsFile":
                    if (!LfsObjects.TryGetValue(value.GetProperty("oid").GetString()!, out var blob))
                        return Results.Json(new { error = $"LFS object for {path} was not uploaded" }, statusCode: 422);
                    repo.SetFile(path, blob, lfs: true);
                    break;
                default:
                    return Results.Json(new { error = "unknown key" }, statusCode: 400);
            }
        }
        LastCommitBody = ndjson;
        repo.Commit = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(ndjson)));
        if (repo is FakeSpace space) space.StageIndex = 0;
        if (repo is FakeRepo model) Add(model); // LFS files become downloadable through the CDN
        SpaceEvents.Enqueue($"commit {repo.Id}");
        return Results.Json(new { success = true, commitOid = repo.Commit, commitUrl = $"{BaseUrl}/{repo.GitPrefix}{repo.Id}/commit/{repo.Commit}", hookOutput = "" });
    }

    static object Runtime(FakeSpace space) => new
    {
        stage = space.Stage,
        hardware = new { current = (string?)null, requested = space.Hardware ?? "cpu-basic" },
        errorMessage = space.Stage.EndsWith("_ERROR", StringComparison.Ordinal) ? space.ErrorMessage : null,
        domains = new[] { new { domain = $"{space.Subdomain}.hf.space", stage = "READY" } },
    };

    IResult Authorized(HttpContext c, Func<IResult> then)
    {
        var bearer = Bearer(c);
        if (bearer is null) return Error(c, 401, null, "You must be authenticated to access this resource." + Echo(c));
        if (!ValidTokens.Contains(bearer)) return Error(c, 401, null, "Invalid credentials in Authorization header");
        return then();
    }

    IResult WithSpace(HttpContext c, string ns, string name, Func<FakeSpace, IResult> then) => Authorized(c, () =>
        Spaces.TryGetValue($"{ns}/{name}", out var space) ? then(space)
            : Error(c, 404, "RepoNotFound", $"Repository Not Found for url: {c.Request.Path}." + Echo(c)));

    static async Task<byte[]> ReadBodyAsync(HttpContext c)
    {
        using var buffer = new MemoryStream();
        await c.Request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}
