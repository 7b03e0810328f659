namespace ArrCoc.Hub;

/// <summary>
/// Where the Hub is, who we are, where the cache lives. Bindable from configuration (section "Hub"); the
/// parameterless constructor takes its defaults from the environment variables huggingface_hub reads
/// (HF_ENDPOINT, HF_TOKEN, HF_HOME, HF_HUB_CACHE, HF_HUB_OFFLINE), so a Python user's setup just works.
/// </summary>
public sealed class HubOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Hub";

    /// <summary>The public Hub.</summary>
    public const string DefaultEndpoint = "https://huggingface.co";

    public HubOptions() : this(Environment.GetEnvironmentVariable) { }

    /// <summary>Defaults from the given environment (tests pass a dictionary lookup).</summary>
    public HubOptions(Func<string, string?> environment)
    {
        var env = new HubEnvironment(environment);
        Endpoint = env.Endpoint;
        Token = env.Token;
        CacheDir = env.HubCache;
        Offline = env.Offline;
    }

    /// <summary>Base URL of the Hub, e.g. "https://huggingface.co" (HF_ENDPOINT); a trailing '/' is ignored.</summary>
    public string Endpoint { get; set; }

    /// <summary>Access token, e.g. "hf_..." (HF_TOKEN, else HUGGING_FACE_HUB_TOKEN, else the token file). Never logged.</summary>
    public string? Token { get; set; }

    /// <summary>Cache root, e.g. "~/.cache/huggingface/hub" (HF_HUB_CACHE, else HF_HOME/hub).</summary>
    public string CacheDir { get; set; }

    /// <summary>Cache only, no HTTP at all (HF_HUB_OFFLINE=1).</summary>
    public bool Offline { get; set; }

    /// <summary>Files downloaded at once, e.g. 3 (clamped to 1..8).</summary>
    public int MaxConcurrentDownloads { get; set; } = 3;

    /// <summary>Retries after a 408/429/5xx, a network error or a broken transfer, e.g. 5.</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>First back-off delay, doubled each retry (with jitter) unless the Hub sends Retry-After.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest single back-off delay.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time allowed for one request until its response headers arrive.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time a download may go without receiving a byte before it counts as broken (and is resumed).</summary>
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Re-hash blobs already in the cache before trusting them (explicit downloads).</summary>
    public bool VerifyCachedBlobs { get; set; } = true;

    /// <summary>Bytes to leave free on the cache's disk beyond what the download needs.</summary>
    public long FreeSpaceMargin { get; set; } = 64L * 1024 * 1024;

    /// <summary>The endpoint as a URI without a trailing slash.</summary>
    public Uri EndpointUri
    {
        get
        {
            if (!Uri.TryCreate(Endpoint.TrimEnd('/'), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                throw new ArgumentException($"Hub endpoint '{Endpoint}' is not an http(s) URL (check HF_ENDPOINT or Hub:Endpoint).");
            return uri;
        }
    }

    /// <summary>A copy whose token was replaced (e.g. from --token-env).</summary>
    public HubOptions WithToken(string? token)
    {
        var copy = (HubOptions)MemberwiseClone();
        copy.Token = string.IsNullOrWhiteSpace(token) ? null : token.Trim();
        return copy;
    }

    /// <summary>Safe to print: says whether a token is set, never what it is.</summary>
    public override string ToString() =>
        $"endpoint {Endpoint}, cache {CacheDir}, offline {Offline}, token {(Token is null ? "none" : "set")}";
}
