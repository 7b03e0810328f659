using System.Net;

namespace ArrCoc.Hub;

/// <summary>
/// The final response of a request whose redirects were followed by hand, with the Hub headers collected on
/// the way: an LFS file's 302 carries X-Linked-Etag (sha256), X-Linked-Size and X-Repo-Commit, the CDN's
/// 200 carries none of them.
/// </summary>
public sealed class HubResponse(HttpResponseMessage message, Uri finalUrl, string? repoCommit, string? linkedEtag, long? linkedSize) : IDisposable
{
    public HttpResponseMessage Message { get; } = message;

    public HttpStatusCode StatusCode => Message.StatusCode;

    public bool IsSuccess => Message.IsSuccessStatusCode;

    /// <summary>Where the content came from (the CDN for an LFS file).</summary>
    public Uri FinalUrl { get; } = finalUrl;

    /// <summary>X-Repo-Commit: the 40-hex commit the revision resolved to.</summary>
    public string? RepoCommit { get; } = repoCommit;

    /// <summary>The content's etag, normalised (no W/, no quotes): X-Linked-Etag if any hop had it, else ETag.</summary>
    public string? Etag { get; } = Normalize(linkedEtag ?? message.Headers.ETag?.Tag ?? RawHeader(message, "ETag"));

    /// <summary>X-Linked-Size if any hop had it, else the final Content-Length (the real size of the file).</summary>
    public long? Size { get; } = linkedSize ?? message.Content.Headers.ContentLength;

    public void Dispose() => Message.Dispose();

    internal static string? Normalize(string? etag) =>
        etag is null ? null : (etag.StartsWith("W/", StringComparison.Ordinal) ? etag[2..] : etag).Trim('"');

    static string? RawHeader(HttpResponseMessage m, string name) =>
        m.Headers.TryGetValues(name, out var v) ? v.FirstOrDefault() : null;
}
