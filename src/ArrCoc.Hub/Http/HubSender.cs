using System.Net;
using System.Net.Http.Headers;

namespace ArrCoc.Hub;

/// <summary>
/// Sends one logical request and follows redirects itself (at most 10 hops). The token goes only to the Hub's
/// own origin (scheme, host and port of HF_ENDPOINT): a relative redirect (renamed repository) keeps it, a
/// redirect to a CDN or any other host drops it. .NET's automatic redirects would drop it even for the Hub
/// itself, which is why they are off.
/// </summary>
public sealed class HubSender(HttpClient client, Uri endpoint, string? token)
{
    const int MaxRedirects = 10;

    public Uri Endpoint { get; } = endpoint;

    public bool HasToken => token is not null;

    /// <param name="configure">Adds headers (Range, Accept, ...) to each hop's request.</param>
    /// <param name="content">Request body; must be re-readable (it is sent again after a retry or a 307/308).</param>
    public async Task<HubResponse> SendAsync(HttpMethod method, Uri url, CancellationToken ct,
        Action<HttpRequestMessage>? configure = null, HttpContent? content = null)
    {
        string? repoCommit = null, linkedEtag = null;
        long? linkedSize = null;
        for (var hop = 0; ; hop++)
        {
            var response = await SendOnceAsync(method, url, content, configure, ct).ConfigureAwait(false);
            if (IsHubOrigin(url))
            {
                repoCommit = Header(response, "X-Repo-Commit") ?? repoCommit;
                linkedEtag = Header(response, "X-Linked-Etag") ?? linkedEtag;
                linkedSize = long.TryParse(Header(response, "X-Linked-Size"), out var size) ? size : linkedSize;
            }
            if (!IsRedirect(response.StatusCode) || response.Headers.Location is not { } location)
                return new HubResponse(response, url, repoCommit, linkedEtag, linkedSize);
            response.Dispose();
            if (hop == MaxRedirects)
                throw new HubProtocolException($"more than {MaxRedirects} redirects from {Strip(url)}.");
            url = location.IsAbsoluteUri ? location : new Uri(url, location);
            if (response.StatusCode == HttpStatusCode.SeeOther) (method, content) = (HttpMethod.Get, null);
        }
    }

    async Task<HttpResponseMessage> SendOnceAsync(HttpMethod method, Uri url, HttpContent? content,
        Action<HttpRequestMessage>? configure, CancellationToken ct)
    {
        var request = new HttpRequestMessage(method, url) { Content = content };
        try
        {
            if (token is not null && IsHubOrigin(url))
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            configure?.Invoke(request);
            return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        }
        finally
        {
            request.Content = null; // the caller owns the body: it may be sent again after a redirect
            request.Dispose();
        }
    }

    /// <summary>Same scheme, host and port as the Hub endpoint.</summary>
    public bool IsHubOrigin(Uri url) =>
        Uri.Compare(url, Endpoint, UriComponents.SchemeAndServer, UriFormat.SafeUnescaped, StringComparison.OrdinalIgnoreCase) == 0;

    static bool IsRedirect(HttpStatusCode status) => (int)status is 301 or 302 or 303 or 307 or 308;

    static string? Header(HttpResponseMessage m, string name) =>
        m.Headers.TryGetValues(name, out var v) ? v.FirstOrDefault() : null;

    /// <summary>A URL without its query (pre-signed CDN URLs carry signatures there).</summary>
    internal static string Strip(Uri url) => url.GetLeftPart(UriPartial.Path);
}
