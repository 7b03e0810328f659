using System.Text;

namespace ArrCoc.Hub;

/// <summary>
/// The Hub's Spaces API (facts sheet §1–4; huggingface_hub hf_api.py): create, visibility, info, preupload,
/// NDJSON commit, secrets, variables, hardware, runtime and build logs. Each call is one request (retried on
/// 408/429/5xx by the shared HTTP pipeline); the deploy flow (SpaceDeployer) strings them together.
/// </summary>
public sealed class SpaceClient(HubConnection hub)
{
    const RepoKind Kind = RepoKind.Space;

    public HubConnection Hub { get; } = hub;

    /// <summary>The calls every repository kind shares.</summary>
    public RepoClient Repos { get; } = new(hub);

    public Task<SpaceInfo> GetInfoAsync(RepoId space, CancellationToken ct) =>
        Hub.SendJsonAsync<SpaceInfo>(HttpMethod.Get, Hub.Urls.Api(Kind, space), new HubRequestContext("read the Space", Kind, space), ct);

    public Task<SpaceRuntime> GetRuntimeAsync(RepoId space, CancellationToken ct) =>
        Hub.SendJsonAsync<SpaceRuntime>(HttpMethod.Get, Hub.Urls.Api(Kind, space, "runtime"), new HubRequestContext("read the Space's runtime", Kind, space), ct);

    public Task<SpaceRuntime> RequestHardwareAsync(RepoId space, string flavor, CancellationToken ct) =>
        Hub.SendJsonAsync<SpaceRuntime>(HttpMethod.Post, Hub.Urls.Api(Kind, space, "hardware"),
            new HubRequestContext($"request hardware '{flavor}'", Kind, space), ct, new { flavor });

    /// <summary>POST .../secrets (upsert). The value is sent, never logged or returned.</summary>
    public Task SetSecretAsync(RepoId space, string key, string value, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, Hub.Urls.Api(Kind, space, "secrets"), $"set secret {key}", space, new { key, value }, ct);

    public Task SetVariableAsync(RepoId space, string key, string value, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, Hub.Urls.Api(Kind, space, "variables"), $"set variable {key}", space, new { key, value }, ct);

    /// <summary>POST /api/validate-yaml: the README front matter the Space card needs; throws with the Hub's errors.</summary>
    public Task ValidateReadmeAsync(RepoId space, string readme, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, Hub.Urls.Api("validate-yaml"), "validate README.md's front matter", space,
            new { content = readme, repoType = "space" }, ct);

    /// <summary>The last lines of GET .../logs/{build|run} (server-sent events: data: {"data": "...", "timestamp": ...}).</summary>
    public async Task<IReadOnlyList<string>> ReadLogTailAsync(RepoId space, string which, int lines, TimeSpan wait, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(wait);
        var tail = new Queue<string>();
        try
        {
            using var response = await Hub.SendCheckedAsync(HttpMethod.Get, Hub.Urls.Api(Kind, space, $"logs/{which}"),
                new HubRequestContext($"read the {which} logs", Kind, space), timeout.Token).ConfigureAwait(false);
            using var reader = new StreamReader(await response.Message.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false), Encoding.UTF8);
            while (await reader.ReadLineAsync(timeout.Token).ConfigureAwait(false) is { } line)
            {
                if (SpaceLogLine.Parse(line) is not { } text) continue;
                tail.Enqueue(Hub.Redactor.Redact(text));
                if (tail.Count > lines) tail.Dequeue();
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // the log stream stays open while the Space lives: what arrived within the wait is enough
        }
        return [.. tail];
    }

    async Task SendAsync(HttpMethod method, Uri url, string action, RepoId space, object body, CancellationToken ct)
    {
        using var content = HubConnection.JsonBody(body);
        using var response = await Hub.SendCheckedAsync(method, url, new HubRequestContext(action, Kind, space), ct, content).ConfigureAwait(false);
    }
}
