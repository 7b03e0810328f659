using System.Net;

namespace ArrCoc.Hub;

/// <summary>
/// The Hub answered with an error the user can act on. Derives from HttpRequestException so the CLI reports it
/// as one line. Messages name the repository and what to do; they never contain a token.
/// </summary>
public class HubException(string message, HttpStatusCode? status = null, string? errorCode = null, Exception? inner = null)
    : HttpRequestException(message, inner, status)
{
    /// <summary>The Hub's X-Error-Code, e.g. "RepoNotFound", "GatedRepo"; null when absent.</summary>
    public string? ErrorCode { get; } = errorCode;
}

/// <summary>No such repository, or it is private and the request had no (valid) token: the Hub does not say which.</summary>
public sealed class RepositoryNotFoundException(string message, HttpStatusCode? status, string? code)
    : HubException(message, status, code);

/// <summary>The repository exists but the revision (branch, tag, commit) does not.</summary>
public sealed class RevisionNotFoundException(string message, HttpStatusCode? status, string? code)
    : HubException(message, status, code);

/// <summary>The revision exists but the file does not.</summary>
public sealed class EntryNotFoundException(string message, HttpStatusCode? status, string? code)
    : HubException(message, status, code);

/// <summary>A gated model: its terms were not accepted, or the account was not granted access.</summary>
public sealed class GatedRepositoryException(string message, HttpStatusCode? status, string? code)
    : HubException(message, status, code);

/// <summary>The token was rejected (401) or lacks a permission (403).</summary>
public sealed class HubAuthenticationException(string message, HttpStatusCode? status, string? code)
    : HubException(message, status, code);

/// <summary>Still 429 after the retries.</summary>
public sealed class HubRateLimitedException(string message, HttpStatusCode? status, string? code)
    : HubException(message, status, code);

/// <summary>The server said something a Hub would not (missing X-Repo-Commit, a changed file, bad JSON).</summary>
public sealed class HubProtocolException(string message, Exception? inner = null)
    : HubException(message, null, null, inner);
