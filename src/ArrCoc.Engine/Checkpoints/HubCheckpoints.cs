using ArrCoc.Engine.Training;
using ArrCoc.Hub;

namespace ArrCoc.Engine.Checkpoints;

/// <summary>
/// ARR-COC checkpoints in a Hub model repository, under checkpoints/&lt;name&gt;/ (what `arrcoc train --push-to`
/// uploads): push one (the repository made private first), list them, download one into the Hugging Face cache.
/// </summary>
public sealed class HubCheckpoints(HubOptions options)
{
    public const string Folder = "checkpoints";

    public HubOptions Options { get; } = options;

    /// <summary>Create the repository private, or make it private; refuses (NotPrivateException) unless it reads back private.</summary>
    public async Task EnsurePrivateAsync(string repository, CancellationToken ct = default)
    {
        using var hub = new HubConnection(Options);
        await new ModelRepository(hub).EnsurePrivateAsync(RepoId.Parse(repository), ct).ConfigureAwait(false);
    }

    /// <summary>Upload a checkpoint folder to checkpoints/&lt;its name&gt;/ in one commit.</summary>
    public async Task<UploadResult> PushAsync(string repository, string checkpointFolder, CancellationToken ct = default)
    {
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(checkpointFolder)));
        using var hub = new HubConnection(Options);
        return await new ModelRepository(hub).UploadFolderAsync(RepoId.Parse(repository), checkpointFolder, $"{Folder}/{name}",
            $"ARR-COC checkpoint {name}", ct).ConfigureAwait(false);
    }

    /// <summary>The checkpoints of a repository: every checkpoints/&lt;name&gt;/ holding a weights file, sorted by name.</summary>
    public async Task<IReadOnlyList<CheckpointEntry>> ListAsync(string repository, string revision = "main", CancellationToken ct = default)
    {
        using var hub = new HubConnection(Options);
        var (_, files) = await new ModelRepository(hub).ListFilesAsync(RepoId.Parse(repository), revision, ct).ConfigureAwait(false);
        return files
            .Where(f => f.Path.StartsWith(Folder + "/", StringComparison.Ordinal) && f.Path.Count(c => c == '/') == 2
                && CheckpointCatalog.IsWeightsFile(f.Path))
            .GroupBy(f => f.Path.Split('/')[1])
            .Select(g =>
            {
                var weights = g.OrderBy(f => f.Path.EndsWith(TrainingCheckpoint.WeightsFile, StringComparison.Ordinal) ? 0 : 1).First();
                return new CheckpointEntry
                {
                    Name = g.Key,
                    Source = CheckpointSource.Hub,
                    Path = weights.Path,
                    Step = g.Key.StartsWith("step-", StringComparison.Ordinal) && int.TryParse(g.Key[5..], out var step) ? step : null,
                };
            })
            .OrderBy(e => e.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Download checkpoints/&lt;name&gt;/ into the HF cache; returns the local checkpoint folder (load it with <see cref="CheckpointCatalog.Load"/>).</summary>
    public async Task<string> DownloadAsync(string repository, string name, string revision = "main",
        IProgress<DownloadProgress>? progress = null, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Contains('/', StringComparison.Ordinal) || name is "." or "..")
            throw new ArgumentException($"'{name}' is not a checkpoint name (a folder under {Folder}/)");
        using var downloader = new HubDownloader(Options);
        var snapshot = await downloader.DownloadAsync(RepoId.Parse(repository), revision, FileSelection.Folder($"{Folder}/{name}"), progress, ct).ConfigureAwait(false);
        return Path.Combine(snapshot.Folder, Folder, name);
    }
}
