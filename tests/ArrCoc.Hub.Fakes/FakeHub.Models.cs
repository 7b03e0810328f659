using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ArrCoc.Hub.Fakes;

/// <summary>
/// The write side of model repositories on the fake Hub: info (visibility), settings, preupload, the Git LFS batch
/// API and the NDJSON commit, sharing the Spaces' upload logic (IFakeFiles). Committed files are then served by the
/// read side (revision, tree, resolve), LFS files through the CDN. Writes need a valid token.
/// </summary>
public sealed partial class FakeHub
{
    void MapModelWrites(WebApplication app)
    {
        app.MapGet("/api/models/{ns}/{name}", (HttpContext c, string ns, string name) =>
            WithRepo(c, $"{ns}/{name}", "main", repo => Results.Json(new { id = repo.Id, @private = repo.Private, sha = repo.Commit })));
        app.MapPut("/api/models/{ns}/{name}/settings", (HttpContext c, string ns, string name, JsonElement body) =>
            WithWritableRepo(c, ns, name, repo =>
            {
                var wanted = WantsPrivate(body);
                SpaceEvents.Enqueue($"settings {repo.Id} private={wanted}");
                if (wanted is { } p && !IgnoreSettingsChanges) repo.Private = p;
                return Results.Json(new { });
            }));
        app.MapPost("/api/models/{ns}/{name}/preupload/{rev}", (HttpContext c, string ns, string name, JsonElement body) =>
            WithWritableRepo(c, ns, name, repo => Preupload(repo, body)));
        app.MapPost("/{ns}/{name}.git/info/lfs/objects/batch", (HttpContext c, string ns, string name, JsonElement body) =>
            WithWritableRepo(c, ns, name, repo => LfsBatch(repo, body)));
        app.MapPost("/{ns}/{name}.git/info/lfs/objects/verify", (HttpContext c, string ns, string name, JsonElement body) =>
            WithWritableRepo(c, ns, name, _ => LfsObjects.ContainsKey(body.GetProperty("oid").GetString()!) ? Results.Json(new { }) : Results.StatusCode(404)));
        app.MapPost("/api/models/{ns}/{name}/commit/{rev}", async (HttpContext c, string ns, string name) =>
        {
            var text = await new StreamReader(c.Request.Body).ReadToEndAsync();
            return WithWritableRepo(c, ns, name, repo => Commit(c, repo, text));
        });
    }

    /// <summary>The model repository, for a valid token only (401 without one, 404 RepoNotFound when absent).</summary>
    IResult WithWritableRepo(HttpContext c, string ns, string name, Func<FakeRepo, IResult> then) => Authorized(c, () =>
        repos.TryGetValue($"{ns}/{name}", out var repo) ? then(repo)
            : Error(c, 404, "RepoNotFound", $"Repository Not Found for url: {c.Request.Path}." + Echo(c)));

    /// <summary>A model repository by id (after a create through the API, or Add).</summary>
    public FakeRepo? Model(string id) => repos.GetValueOrDefault(id);
}
