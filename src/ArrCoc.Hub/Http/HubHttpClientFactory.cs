using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;

namespace ArrCoc.Hub;

/// <summary>
/// The HttpClient every Hub call goes through: automatic redirects off (HubSender follows them itself, so
/// the token is kept for the Hub and never sent elsewhere), no automatic decompression (sizes must be the
/// real ones), and a Polly retry (Microsoft.Extensions.Http.Resilience) with exponential back-off and
/// jitter on 408/429/5xx, network errors and per-attempt timeouts, honouring Retry-After.
/// </summary>
public static class HubHttpClientFactory
{
    /// <param name="primary">The innermost handler; tests may pass their own. Default: SocketsHttpHandler.</param>
    public static HttpClient Create(HubOptions options, ILogger? logger = null, HttpMessageHandler? primary = null)
    {
        primary ??= new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = options.RequestTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        var resilience = new ResilienceHandler(BuildPipeline(options, logger)) { InnerHandler = primary };
        var client = new HttpClient(resilience) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("arrcoc-hub/1.0 (+https://github.com; dotnet)");
        return client;
    }

    internal static ResiliencePipeline<HttpResponseMessage> BuildPipeline(HubOptions options, ILogger? logger)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = true,
                OnRetry = args =>
                {
                    var what = args.Outcome.Result is { } r ? $"{(int)r.StatusCode} {r.StatusCode}" : args.Outcome.Exception?.GetType().Name;
                    logger?.LogInformation("Hub request failed ({What}); retry {Attempt} of {Max} in {Delay:0.0} s",
                        what, args.AttemptNumber + 1, options.MaxRetries, args.RetryDelay.TotalSeconds);
                    return ValueTask.CompletedTask;
                },
            });
        }
        builder.AddTimeout(options.RequestTimeout);
        return builder.Build();
    }
}
