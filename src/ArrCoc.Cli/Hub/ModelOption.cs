using System.CommandLine;
using ArrCoc.Hub;

namespace ArrCoc.Cli.Hub;

/// <summary>
/// The --model option every verb shares: a local model folder, or a Hub id ("Qwen/Qwen3-VL-2B-Instruct[@rev]")
/// resolved through the Hugging Face cache (no request when it is there), downloaded with progress bars if not.
/// </summary>
public static class ModelOption
{
    public const string DefaultModel = "Qwen/Qwen3-VL-2B-Instruct";

    public static Option<string> Create() => new("--model")
    {
        Description = $"Model folder, or Hub id with optional @revision (default {DefaultModel}); Hub models come from the HF cache, downloaded on first use.",
        DefaultValueFactory = _ => DefaultModel,
    };

    /// <summary>The model's folder; progress (if it downloads) goes to stderr.</summary>
    public static async Task<ResolvedModel> ResolveAsync(string model, TextWriter stderr, CancellationToken ct, HubOptions? options = null)
    {
        try
        {
            return await DownloadProgressView.RunAsync(stderr, progress =>
                new ModelResolver(options ?? new HubOptions()).ResolveAsync(model, allowDownload: true, progress, ct)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RepositoryNotFoundException or ModelNotCachedException or HttpRequestException { StatusCode: null }
            && !model.Contains('/', StringComparison.Ordinal))
        {
            // Not found (on the Hub, in the offline cache, or the Hub unreachable): "fixture" may be a folder name the
            // user mistyped as much as a namespace-less Hub id, so say both.
            throw new IOException($"{e.Message} (no folder named '{model}' exists here either; a Hub id looks like {DefaultModel})", e);
        }
    }
}
