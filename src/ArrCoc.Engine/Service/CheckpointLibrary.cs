using System.Collections.Concurrent;
using ArrCoc.Engine.Checkpoints;
using ArrCoc.Hub;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ArrCoc.Engine.Service;

/// <summary>
/// The checkpoints the Microscope's picker offers: the configured default, a second untrained seed, configured files
/// (Engine:CompareCheckpoints), every checkpoint under Engine:CheckpointsFolder and every checkpoints/&lt;name&gt;/
/// of the Hub repository Engine:CheckpointsRepo. A source that cannot be listed (absent folder aside) is reported,
/// never fatal. A Hub checkpoint is downloaded into the Hugging Face cache when it is first used.
/// </summary>
public sealed class CheckpointLibrary
{
    readonly EngineOptions engine;
    readonly HubCheckpoints hub;
    readonly ILogger<CheckpointLibrary> logger;
    readonly ConcurrentDictionary<string, string> downloaded = new(); // "repo/name" → local weights, until the next listing

    public CheckpointLibrary(IOptions<ArrCocOptions> arrCoc, IOptions<EngineOptions> engine, IOptions<HubOptions> hub,
        ILogger<CheckpointLibrary> logger)
    {
        this.engine = engine.Value;
        this.hub = new HubCheckpoints(hub.Value);
        this.logger = logger;
        Configured = new[] { CheckpointChoice.From(arrCoc.Value), CheckpointChoice.Untrained(arrCoc.Value.Seed + 1) }
            .Concat(this.engine.CompareCheckpoints.Where(p => !string.IsNullOrWhiteSpace(p)).Select(CheckpointChoice.File))
            .DistinctBy(c => c.Label).ToArray();
    }

    /// <summary>The choices known without looking anywhere: the configured default first.</summary>
    public IReadOnlyList<CheckpointChoice> Configured { get; }

    /// <summary>Everything on offer now (the folder is read and the Hub repository listed on each call).</summary>
    public async Task<CheckpointListing> ListAsync(CancellationToken cancellationToken = default)
    {
        var choices = new List<CheckpointChoice>(Configured);
        var problems = new List<string>();
        downloaded.Clear(); // a re-pushed Hub checkpoint is fetched again (the cache skips unchanged files)
        if (!string.IsNullOrWhiteSpace(engine.CheckpointsFolder))
        {
            try
            {
                var known = Configured.Select(c => c.Path).OfType<string>()
                    .Select(p => CheckpointCatalog.TryResolveWeights(p) ?? Path.GetFullPath(p)).ToHashSet();
                // A folder of many runs takes a while to walk (headers, state.json): off the caller's thread.
                var local = await Task.Run(() => CheckpointCatalog.ListLocal(engine.CheckpointsFolder), cancellationToken).ConfigureAwait(false);
                choices.AddRange(local.Where(e => !known.Contains(e.Path)).Select(CheckpointChoice.Local));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add($"{engine.CheckpointsFolder}: {e.Message}");
            }
        }
        if (!string.IsNullOrWhiteSpace(engine.CheckpointsRepo))
            choices.AddRange(await ListHubAsync(engine.CheckpointsRepo.Trim(), problems, cancellationToken).ConfigureAwait(false));
        return new CheckpointListing(choices, problems);
    }

    /// <summary>The Hub repository's checkpoints; a reason in <paramref name="problems"/> instead when they cannot be listed.</summary>
    async Task<IEnumerable<CheckpointChoice>> ListHubAsync(string repository, List<string> problems, CancellationToken cancellationToken)
    {
        if (hub.Options.Offline)
        {
            problems.Add($"hub: {repository}: offline (HF_HUB_OFFLINE=1): Hub checkpoints are not listed");
            return [];
        }
        try
        {
            var entries = await hub.ListAsync(repository, ct: cancellationToken).ConfigureAwait(false);
            return entries.Select(e => CheckpointChoice.Hub(repository, e));
        }
        catch (Exception e) when (e is HttpRequestException or IOException or FormatException or ArgumentException
                                  || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogWarning("Hub checkpoints of {Repository} not listed: {Reason}", repository, e.Message);
            problems.Add($"hub: {repository}: {e.Message}");
            return [];
        }
    }

    /// <summary>The choice with its weights on this machine: a Hub checkpoint is downloaded (or found in the cache) first.</summary>
    public async Task<CheckpointChoice> ResolveAsync(CheckpointChoice choice, CancellationToken cancellationToken = default)
    {
        if (!choice.NeedsDownload) return choice;
        var key = choice.HubRepository + "/" + choice.HubName;
        if (downloaded.TryGetValue(key, out var known) && File.Exists(known)) return choice with { Path = known };
        try
        {
            var folder = await hub.DownloadAsync(choice.HubRepository!, choice.HubName!, ct: cancellationToken).ConfigureAwait(false);
            // The listed weights file (arrcoc.safetensors, or e.g. a PyTorch .pt the original trainer saved).
            var listed = choice.HubWeights is null ? null : Path.Combine(folder, Path.GetFileName(choice.HubWeights));
            var weights = listed is not null && File.Exists(listed) ? listed : CheckpointCatalog.ResolveWeights(folder);
            downloaded[key] = weights;
            return choice with { Path = weights };
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new IOException($"{choice.Label} is not available: {e.Message}", e);
        }
    }
}
