using System.Net;
using System.Text.Json;

namespace ArrCoc.Hub;

/// <summary>
/// Turns a failed Hub response into an exception with an actionable message, following huggingface_hub's
/// hf_raise_for_status: X-Error-Code (RepoNotFound, RevisionNotFound, EntryNotFound, GatedRepo),
/// X-Error-Message or the JSON body's "error", and the deliberately ambiguous 401.
/// </summary>
internal sealed class HubErrorMapper(Uri endpoint, bool hasToken, SecretRedactor redactor)
{
    const string InvalidCredentials = "Invalid credentials in Authorization header";

    public async Task<HubException> CreateAsync(HttpResponseMessage response, HubRequestContext context, CancellationToken ct)
    {
        var code = Header(response, "X-Error-Code");
        var server = Header(response, "X-Error-Message") ?? await ReadBodyErrorAsync(response, ct).ConfigureAwait(false);
        var status = response.StatusCode;
        var message = redactor.Redact(Message(status, code, server, context, response));
        return code switch
        {
            "GatedRepo" => new GatedRepositoryException(message, status, code),
            "RevisionNotFound" => new RevisionNotFoundException(message, status, code),
            "EntryNotFound" => new EntryNotFoundException(message, status, code),
            "RepoNotFound" => new RepositoryNotFoundException(message, status, code),
            _ when status == HttpStatusCode.Unauthorized && server == InvalidCredentials => new HubAuthenticationException(message, status, code),
            _ when status is HttpStatusCode.Unauthorized or HttpStatusCode.NotFound && context.Repo is not null => new RepositoryNotFoundException(message, status, code),
            _ when status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new HubAuthenticationException(message, status, code),
            _ when status == HttpStatusCode.TooManyRequests => new HubRateLimitedException(message, status, code),
            _ => new HubException(message, status, code),
        };
    }

    string Message(HttpStatusCode status, string? code, string? server, HubRequestContext c, HttpResponseMessage response)
    {
        var repoUrl = c.Repo is null ? endpoint.ToString() : $"{endpoint}/{c.Kind.UrlPrefix()}{c.Repo}";
        var tokens = $"{endpoint}/settings/tokens";
        var said = string.IsNullOrWhiteSpace(server) ? "" : $" (the Hub said: {server.Trim()})";
        return (status, code) switch
        {
            (HttpStatusCode.Unauthorized, "GatedRepo") =>
                $"{c.Subject} is gated: accept its conditions at {repoUrl} while logged in, then set HF_TOKEN to a read token of that account ({tokens}){said}.",
            (_, "GatedRepo") =>
                $"{c.Subject} is gated and your token's account has not been granted access yet: request it at {repoUrl}{said}.",
            (_, "RevisionNotFound") => $"no such model or revision: {c.Subject} has no revision '{c.Revision}'{said}.",
            (_, "EntryNotFound") => $"file '{c.FilePath}' not found in {c.Subject} at revision '{c.Revision}'{said}.",
            (HttpStatusCode.Unauthorized, _) when server == InvalidCredentials =>
                $"the Hub rejected the token (HF_TOKEN or --token-env): it is invalid or expired; create a new one at {tokens}.",
            (HttpStatusCode.Unauthorized or HttpStatusCode.NotFound, _) when c.Repo is not null => hasToken
                ? $"no such model or revision: {c.Subject} at {endpoint} (or your token cannot read it){said}."
                : $"no such model or revision: {c.Subject} at {endpoint}; if it is private or gated, set HF_TOKEN to a read token ({tokens}){said}.",
            (HttpStatusCode.Unauthorized, _) => hasToken
                ? $"{c.Action} needs a valid token: the Hub refused yours{said}."
                : $"{c.Action} needs a token: set HF_TOKEN to a token with write access ({tokens}){said}.",
            (HttpStatusCode.Forbidden, _) =>
                $"{c.Action} on {c.Subject} was refused: the token lacks that permission; use a token with write access to it ({tokens}){said}.",
            (HttpStatusCode.PaymentRequired, _) =>
                $"{c.Action} on {c.Subject} needs a paid Hugging Face plan (Docker Spaces need PRO, Team or Enterprise){said}.",
            (HttpStatusCode.TooManyRequests, _) =>
                $"the Hub is rate-limiting these requests even after retries{RateLimitHint(response)}: wait and try again (a token in HF_TOKEN gets higher limits){said}.",
            _ when (int)status >= 500 =>
                $"the Hub failed ({(int)status} {status}) on {c.Action} for {c.Subject} even after retries: try again later{said}.",
            _ => $"{c.Action} for {c.Subject} failed: {(int)status} {status}{said}.",
        };
    }

    static string RateLimitHint(HttpResponseMessage response)
    {
        var limit = Header(response, "RateLimit");
        var reset = limit?.Split(';').Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("t=", StringComparison.Ordinal));
        return reset is null ? "" : $" (the window resets in {reset[2..]} s)";
    }

    static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    /// <summary>{"error": "..."}, {"error": ["...", ...]} or {"errors": [{"message": ...}]} (validate-yaml), with "error_description" where present.</summary>
    static async Task<string?> ReadBodyErrorAsync(HttpResponseMessage response, CancellationToken ct)
    {
        string body;
        try
        {
            body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            return null;
        }
        if (body.Length > 2000) body = body[..2000];
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind != JsonValueKind.Object) return null;
            var error = json.RootElement.TryGetProperty("error", out var e) ? e : default;
            var text = error.ValueKind switch
            {
                JsonValueKind.String => error.GetString(),
                JsonValueKind.Array => string.Join("; ", error.EnumerateArray().Select(x => x.ToString())),
                _ => null,
            };
            if (text is null && json.RootElement.TryGetProperty("errors", out var list) && list.ValueKind == JsonValueKind.Array)
                text = string.Join("; ", list.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.Object && x.TryGetProperty("message", out var m) ? m.ToString() : x.ToString()));
            if (json.RootElement.TryGetProperty("error_description", out var d) && d.ValueKind == JsonValueKind.String)
                text = text is null ? d.GetString() : $"{text}: {d.GetString()}";
            return text;
        }
        catch (JsonException)
        {
            return string.IsNullOrWhiteSpace(body) || body.TrimStart().StartsWith('<') ? null : body.Trim();
        }
    }
}
