using System.IO.Compression;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ArrCoc.Hub.Fakes;

/// <summary>The read side of the fake Hub: faults, renames, auth, repo info, tree, resolve.</summary>
public sealed partial class FakeHub
{
    void Configure(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            Requests.Enqueue(new RecordedRequest(request.Method, request.Path + request.QueryString,
                request.Headers.Authorization.FirstOrDefault(), request.Headers.Range.FirstOrDefault()));
            if (TakeFault(request.Path) is { } status)
            {
                context.Response.StatusCode = status;
                if (status == 429)
                {
                    context.Response.Headers["RateLimit"] = "\"resolvers\";r=0;t=1";
                    context.Response.Headers["RateLimit-Policy"] = "\"fixed window\";\"resolvers\";q=3000;w=300";
                    context.Response.Headers.RetryAfter = "0";
                }
                await context.Response.WriteAsJsonAsync(new { error = $"injected {status}" });
                return;
            }
            if (RenamedTarget(request.Path) is { } moved)
            {
                context.Response.StatusCode = RenamedStatus;
                context.Response.Headers.Location = moved + request.QueryString; // relative, same host
                return;
            }
            await next(context);
        });
        app.MapGet("/api/models/{ns}/{name}/revision/{rev}", (HttpContext c, string ns, string name, string rev) =>
            WithRepo(c, $"{ns}/{name}", rev, repo => Results.Json(new
            {
                id = repo.Id,
                sha = repo.Commit,
                @private = repo.Private,
                gated = repo.Gated ? "manual" : (object)false,
                siblings = repo.Files.Keys.Select(f => new { rfilename = f }),
            })));
        app.MapGet("/api/models/{ns}/{name}/tree/{rev}", (HttpContext c, string ns, string name, string rev, int? cursor) =>
            WithRepo(c, $"{ns}/{name}", rev, repo => Tree(c, repo, rev, cursor ?? 0)));
        app.MapMethods("/{ns}/{name}/resolve/{rev}/{**path}", ["GET", "HEAD"], (HttpContext c, string ns, string name, string rev, string path) =>
            WithRepo(c, $"{ns}/{name}", rev, repo => Resolve(c, repo, path)));
        MapSpaces(app);
        MapModelWrites(app);
    }

    int? TakeFault(PathString path)
    {
        lock (faults)
        {
            if (!faults.TryPeek(out var fault) || !path.StartsWithSegments(fault.Prefix)) return null;
            faults.TryDequeue(out _);
            return fault.Status;
        }
    }

    string? RenamedTarget(PathString path)
    {
        foreach (var (old, now) in Renamed)
        {
            if (path.StartsWithSegments("/" + old, out var rest)) return "/" + now + rest;
            if (path.StartsWithSegments("/api/models/" + old, out rest)) return "/api/models/" + now + rest;
        }
        return null;
    }

    IResult WithRepo(HttpContext c, string id, string revision, Func<FakeRepo, IResult> then)
    {
        c.Response.Headers["Access-Control-Expose-Headers"] = "X-Repo-Commit,X-Error-Code,X-Error-Message,ETag,Link";
        var bearer = Bearer(c);
        if (bearer is not null && !ValidTokens.Contains(bearer))
            return Error(c, 401, null, "Invalid credentials in Authorization header");
        if (!repos.TryGetValue(id, out var repo) || (repo.Private && bearer is null))
            return Error(c, bearer is null ? 401 : 404, "RepoNotFound", $"Repository Not Found for url: {c.Request.Path}." + Echo(c));
        if (repo.Gated && bearer is null)
            return Error(c, 401, "GatedRepo", $"Access to model {id} is restricted. You must have access to it and be authenticated to access it. Please log in.");
        if (repo.Gated && !ApprovedTokens.Contains(bearer!))
            return Error(c, 403, "GatedRepo", $"Access to model {id} is restricted and you are not in the authorized list. Visit {BaseUrl}/{id} to ask for access." + Echo(c));
        if (revision != "main" && revision != repo.Commit)
            return Error(c, 404, "RevisionNotFound", $"Invalid rev id: {revision}");
        return then(repo);
    }

    IResult Tree(HttpContext c, FakeRepo repo, string revision, int cursor)
    {
        var entries = repo.Files.Values.OrderBy(f => f.Path, StringComparer.Ordinal).Select(f => (object)(f.Lfs
            ? new { type = "file", oid = FakeFile.GitBlobSha1(LfsPointer(f)), size = f.Content.Length, path = f.Path,
                lfs = new { oid = f.Sha256, size = f.Content.Length, pointerSize = LfsPointer(f).Length } }
            : new { type = "file", oid = f.GitSha1, size = f.Content.Length, path = f.Path })).ToList();
        var page = entries.Skip(cursor).Take(TreePageSize).ToList();
        if (cursor + TreePageSize < entries.Count)
            c.Response.Headers.Link = $"<{BaseUrl}/api/models/{repo.Id}/tree/{Uri.EscapeDataString(revision)}?recursive=true&expand=false&cursor={cursor + TreePageSize}>; rel=\"next\"";
        return Results.Json(page);
    }

    IResult Resolve(HttpContext c, FakeRepo repo, string path)
    {
        c.Response.Headers["X-Repo-Commit"] = repo.Commit;
        if (!repo.Files.TryGetValue(path, out var file))
            return Error(c, 404, "EntryNotFound", $"{path} does not exist on \"{repo.Commit}\"");
        if (file.Lfs)
        {
            c.Response.Headers["X-Linked-Etag"] = $"\"{file.Sha256}\"";
            c.Response.Headers["X-Linked-Size"] = file.Content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Redirect(Cdn.UrlFor(file)); // 302 to another origin
        }
        c.Response.Headers.ETag = $"\"{file.GitSha1}\"";
        c.Response.Headers.AcceptRanges = "bytes";
        if (GzipRegularFiles)
        {
            using var packed = new MemoryStream();
            using (var gzip = new GZipStream(packed, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(file.Content);
            c.Response.Headers.ContentEncoding = "gzip";
            return Results.Bytes(packed.ToArray(), "application/json");
        }
        return Results.Bytes(file.Content, "application/octet-stream", enableRangeProcessing: true);
    }

    static byte[] LfsPointer(FakeFile f) => System.Text.Encoding.ASCII.GetBytes(
        $"version https://git-lfs.github.com/spec/v1\noid sha256:{f.Sha256}\nsize {f.Content.Length}\n");

    string Echo(HttpContext c) => EchoAuthorizationInErrors ? $" (you sent: {c.Request.Headers.Authorization})" : "";

    static string? Bearer(HttpContext c)
    {
        var header = c.Request.Headers.Authorization.FirstOrDefault();
        return AuthenticationHeaderValue.TryParse(header, out var auth) && auth.Scheme == "Bearer" ? auth.Parameter : null;
    }

    static IResult Error(HttpContext c, int status, string? code, string message)
    {
        if (code is not null) c.Response.Headers["X-Error-Code"] = code;
        c.Response.Headers["X-Error-Message"] = message;
        return Results.Json(new { error = message }, statusCode: status);
    }
}
