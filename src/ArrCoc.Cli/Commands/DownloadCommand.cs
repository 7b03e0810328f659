using System.CommandLine;
using ArrCoc.Cli.Hub;
using ArrCoc.Hub;

namespace ArrCoc.Cli.Commands;

/// <summary>
/// `arrcoc download MODEL_ID [--revision R] [--cache DIR] [--token-env NAME] [--all]`: download a Hub model into
/// the Hugging Face cache (resuming, verified), with progress bars on stderr; prints a summary, then the
/// snapshot folder as the last line of stdout.
/// </summary>
public static class DownloadCommand
{
    /// <param name="environment">Where the Hub options come from; tests pass their fake Hub's.</param>
    public static Command Create(Func<HubOptions>? environment = null)
    {
        environment ??= () => new HubOptions();
        var model = new Argument<string>("MODEL_ID") { Description = "Hub model id, e.g. Qwen/Qwen3-VL-2B-Instruct (optionally @revision)." };
        var revision = new Option<string?>("--revision") { Description = "Branch, tag or commit (default: main, or the @revision of MODEL_ID)." };
        var cache = HubCliOptions.Cache();
        var tokenEnv = HubCliOptions.TokenEnv();
        var all = new Option<bool>("--all") { Description = "Download every file of the repository, not only the model files." };
        var command = new Command("download", "Download a model from the Hugging Face Hub into the standard cache (shared with the Python tools).")
        {
            model, revision, cache, tokenEnv, all,
        };
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var options = HubCliOptions.Apply(environment(), parse.GetValue(cache), parse.GetValue(tokenEnv));
            var reference = ModelReference.Parse(parse.GetValue(model)!, parse.GetValue(revision));
            if (reference.IsLocal)
                throw new ArgumentException($"'{reference.LocalFolder}' is a local folder; download takes a Hub id such as Qwen/Qwen3-VL-2B-Instruct.");
            if (options.Offline)
            {
                var cached = new ModelResolver(options).FindCached(reference) ?? throw new ModelNotCachedException(
                    $"offline mode is on (HF_HUB_OFFLINE) and {reference} is not complete in the cache at {options.CacheDir}: unset HF_HUB_OFFLINE to download it.");
                await output.WriteLineAsync($"offline: {reference} is already in the cache").ConfigureAwait(false);
                await output.WriteLineAsync(cached.Folder).ConfigureAwait(false);
                return 0;
            }
            using var downloader = new HubDownloader(options);
            var selection = parse.GetValue(all) ? FileSelection.AllFiles : FileSelection.ModelFiles;
            var result = await DownloadProgressView.RunAsync(parse.InvocationConfiguration.Error, progress =>
                downloader.DownloadAsync(reference.Repo!, reference.Revision, selection, progress, ct)).ConfigureAwait(false);
            var cachedFiles = result.Files.Count - result.FilesDownloaded;
            await output.WriteLineAsync($"{result.Repo}@{result.Revision} (commit {result.Commit[..12]}): {result.Files.Count} files, " +
                $"{result.FilesDownloaded} downloaded ({FormatBytes(result.BytesDownloaded)}), {cachedFiles} already cached").ConfigureAwait(false);
            await output.WriteLineAsync(result.Folder).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    static string FormatBytes(long n) => n >= 1 << 20 ? $"{n / (double)(1 << 20):0.0} MiB" : $"{n / 1024.0:0.0} KiB";
}
