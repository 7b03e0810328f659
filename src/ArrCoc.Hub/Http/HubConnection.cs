using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArrCoc.Hub;

/// <summary>
/// One configured way to talk to the Hub: the resilient HttpClient, the redirect-following sender with the
/// token, URL shapes and error mapping. The downloader and the Spaces client share it.
/// </summary>
public sealed class HubConnection : IDisposable
{
    readonly HttpClient client;

    /// <param name="primaryHandler">Innermost HTTP handler (tests); default SocketsHttpHandler.</param>
    public HubConnection(HubOptions options, ILoggerFactory? loggers = null, HttpMessageHandler? primaryHandler = null)
    {
        Options = options;
        Logger = (loggers ?? NullLoggerFactory.Instance).CreateLogger("ArrCoc.Hub");
        Redactor = new SecretRedactor(options.Token);
        client = HubHttpClientFactory.Create(options, Logger, primaryHandler);
        Sender = new HubSender(client, options.EndpointUri, options.Token);
        Urls = new HubUrls(options.EndpointUri);
        Errors = new HubErrorMapper(options.EndpointUri, options.Token is not null, Redactor);
    }

    public HubOptions Options { get; }

    public HubSender Sender { get; }

    public HubUrls Urls { get; }

    internal HubErrorMapper Errors { get; }

    public SecretRedactor Redactor { get; }

    internal ILogger Logger { get; }

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Sends and throws the mapped Hub error unless the final status is a success.</summary>
    internal async Task<HubResponse> SendCheckedAsync(HttpMethod method, Uri url, HubRequestContext context, CancellationToken ct,
        HttpContent? content = null, Action<HttpRequestMessage>? configure = null)
    {
        if (Options.Offline)
            throw new ModelNotCachedException($"offline mode is on (HF_HUB_OFFLINE): cannot {context.Action} for {context.Subject}.");
        var response = await Sender.SendAsync(method, url, ct, configure, content).ConfigureAwait(false);
        if (response.IsSuccess) return response;
        using (response)
            throw await Errors.CreateAsync(response.Message, context, ct).ConfigureAwait(false);
    }

    /// <summary>Sends (with an optional JSON body) and reads a JSON reply.</summary>
    internal async Task<T> SendJsonAsync<T>(HttpMethod method, Uri url, HubRequestContext context, CancellationToken ct, object? body = null)
    {
        using var content = body is null ? null : JsonBody(body);
        using var response = await SendCheckedAsync(method, url, context, ct, content).ConfigureAwait(false);
        return await ReadJsonAsync<T>(response, context, ct).ConfigureAwait(false);
    }

    /// <summary>A JSON request body that can be sent again (after a retry or a 307).</summary>
    internal static ByteArrayContent JsonBody(object body, string mediaType = "application/json")
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), Json));
        content.Headers.ContentType = new(mediaType);
        return content;
    }

    internal static async Task<T> ReadJsonAsync<T>(HubResponse response, HubRequestContext context, CancellationToken ct)
    {
        try
        {
            return await response.Message.Content.ReadFromJsonAsync<T>(Json, ct).ConfigureAwait(false)
                ?? throw new HubProtocolException($"empty JSON reply to {context.Action} for {context.Subject}.");
        }
        catch (JsonException e)
        {
            throw new HubProtocolException($"unexpected JSON in the reply to {context.Action} for {context.Subject}: {e.Message}", e);
        }
    }

    public void Dispose() => client.Dispose();
}
