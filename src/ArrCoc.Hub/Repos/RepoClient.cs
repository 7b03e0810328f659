using System.Net;
using System.Text.Json.Serialization;

namespace ArrCoc.Hub;

/// <summary>GET /api/{models|spaces}/{id}: the visibility, which the privacy checks trust.</summary>
public sealed record RepoVisibility([property: JsonPropertyName("id")] string? Id, [property: JsonPropertyName("private")] bool? Private);

/// <summary>
/// The repository calls every kind shares (huggingface_hub hf_api.py): create private, set private, read the
/// visibility back, preupload and the NDJSON commit. Spaces (SpaceClient) and model repositories
/// (ModelRepository) use them with their kind.
/// </summary>
public sealed class RepoClient(HubConnection hub)
{
    public HubConnection Hub { get; } = hub;

    /// <summary>POST /api/repos/create, private (sdk for a Space). True when created, false when it already existed (409).</summary>
    public async Task<bool> CreatePrivateAsync(RepoKind kind, RepoId repo, string? sdk, CancellationToken ct)
    {
        var context = new HubRequestContext($"create the {Noun(kind)}", kind, repo);
        // Both spellings of visibility: huggingface_hub >= 1.8 sends "visibility", older clients and hf.js "private".
        object body = sdk is null
            ? new { name = repo.Name, organization = repo.Namespace, type = kind.TypeName(), @private = true, visibility = "private" }
            : new { name = repo.Name, organization = repo.Namespace, type = kind.TypeName(), sdk, @private = true, visibility = "private" };
        using var content = HubConnection.JsonBody(body);
        using var response = await Hub.Sender.SendAsync(HttpMethod.Post, Hub.Urls.Api("repos/create"), ct, content: content).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Conflict) return false;
        // As huggingface_hub's create_repo(exist_ok=True): a token may write to a repository it may not create;
        // 401/402/403 on create for a repository that exists means "it exists" (privacy is still set and read back).
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.PaymentRequired or HttpStatusCode.Forbidden
            && await ExistsAsync(kind, repo, ct).ConfigureAwait(false))
            return false;
        if (!response.IsSuccess) throw await Hub.Errors.CreateAsync(response.Message, context, ct).ConfigureAwait(false);
        return true;
    }

    async Task<bool> ExistsAsync(RepoKind kind, RepoId repo, CancellationToken ct)
    {
        try
        {
            await GetVisibilityAsync(kind, repo, ct).ConfigureAwait(false);
            return true;
        }
        catch (HubException)
        {
            return false;
        }
    }

    /// <summary>PUT /api/{kind}/{id}/settings with private=true (and visibility=private).</summary>
    public async Task SetPrivateAsync(RepoKind kind, RepoId repo, CancellationToken ct)
    {
        using var content = HubConnection.JsonBody(new { @private = true, visibility = "private" });
        using var response = await Hub.SendCheckedAsync(HttpMethod.Put, Hub.Urls.Api(kind, repo, "settings"),
            new HubRequestContext($"make the {Noun(kind)} private", kind, repo), ct, content).ConfigureAwait(false);
    }

    public Task<RepoVisibility> GetVisibilityAsync(RepoKind kind, RepoId repo, CancellationToken ct) =>
        Hub.SendJsonAsync<RepoVisibility>(HttpMethod.Get, Hub.Urls.Api(kind, repo), new HubRequestContext($"read the {Noun(kind)}", kind, repo), ct);

    /// <summary>
    /// Create the repository private, or make an existing one private; then read it back and throw
    /// <see cref="NotPrivateException"/> unless it is private. Returns true when it was created.
    /// </summary>
    public async Task<bool> EnsurePrivateAsync(RepoKind kind, RepoId repo, string? sdk, CancellationToken ct)
    {
        bool created = await CreatePrivateAsync(kind, repo, sdk, ct).ConfigureAwait(false);
        if (!created) await SetPrivateAsync(kind, repo, ct).ConfigureAwait(false);
        var visibility = await GetVisibilityAsync(kind, repo, ct).ConfigureAwait(false);
        if (visibility.Private != true)
            throw new NotPrivateException($"{Noun(kind)} {repo} still reads back as {(visibility.Private is null ? "of unknown visibility" : "public")}: " +
                $"refusing to upload; make it private at {Hub.Urls.Page(kind, repo)}/settings and try again.");
        return created;
    }

    /// <summary>POST .../preupload/main in batches of 256: which files must go through LFS, which are unchanged.</summary>
    internal async Task<(List<PreuploadFile> Files, string? HeadCommit)> PreuploadAsync(RepoKind kind, RepoId repo, IReadOnlyList<LocalFile> files, CancellationToken ct)
    {
        var answers = new List<PreuploadFile>();
        string? head = null;
        foreach (var batch in files.Chunk(256))
        {
            var body = new { files = batch.Select(f => new { path = f.RepoPath, sample = f.Sample, size = f.Size }) };
            var reply = await Hub.SendJsonAsync<PreuploadReply>(HttpMethod.Post, Hub.Urls.Api(kind, repo, "preupload/main"),
                new HubRequestContext("preupload", kind, repo), ct, body).ConfigureAwait(false);
            answers.AddRange(reply.Files);
            head ??= reply.CommitOid;
        }
        return (answers, head);
    }

    /// <summary>POST .../commit/main with an NDJSON body (Content-Type application/x-ndjson).</summary>
    internal async Task<CommitReply> CommitAsync(RepoKind kind, RepoId repo, byte[] ndjson, CancellationToken ct)
    {
        using var content = new ByteArrayContent(ndjson);
        content.Headers.ContentType = new("application/x-ndjson");
        var context = new HubRequestContext("commit", kind, repo);
        using var response = await Hub.SendCheckedAsync(HttpMethod.Post, Hub.Urls.Api(kind, repo, "commit/main"), context, ct, content).ConfigureAwait(false);
        return await HubConnection.ReadJsonAsync<CommitReply>(response, context, ct).ConfigureAwait(false);
    }

    static string Noun(RepoKind kind) => kind switch { RepoKind.Space => "Space", RepoKind.Dataset => "dataset", _ => "model repository" };
}
