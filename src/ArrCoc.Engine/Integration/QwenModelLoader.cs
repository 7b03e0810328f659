using ArrCoc.Engine.Images;
using ArrCoc.Engine.Service;
using ArrCoc.Hub;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static TorchSharp.torch;

namespace ArrCoc.Engine.Integration;

/// <summary>
/// Brings the configured Qwen3-VL up in the background: Engine:Model is a local folder or a Hub id, found in the
/// Hugging Face cache or downloaded into it (progress reported as a fraction of the listed bytes), then loaded on
/// Engine:Device in Engine:Dtype with ARR-COC's weights for its hidden size. No model configured: microscope only.
/// </summary>
public sealed class QwenModelLoader(IOptions<EngineOptions> engine, IOptions<ArrCocOptions> arrCoc, IOptions<ImageLimitsOptions> limits,
    IOptions<HubOptions> hub, ILoggerFactory loggers) : IModelLoader
{
    public async Task<IAnswerer?> LoadAsync(IProgress<ModelLoadReport> progress, CancellationToken cancellationToken)
    {
        var options = engine.Value;
        if (string.IsNullOrWhiteSpace(options.Model))
        {
            progress.Report(new ModelLoadReport(ModelState.NotConfigured, ModelStatus.NotConfiguredReason));
            return null;
        }
        var (device, dtype) = ModelDevice.Parse(options.Device, options.Dtype, "Engine:Device", "Engine:Dtype");
        var resolver = new ModelResolver(hub.Value, loggers);
        var resolved = await resolver.ResolveAsync(options.Model, allowDownload: true, new DownloadTotals(progress), cancellationToken).ConfigureAwait(false);
        progress.Report(new ModelLoadReport(ModelState.Loading, $"loading {resolved.Folder} ({ModelDevice.Describe(device, dtype)})"));
        var model = await Task.Run(() => ArrCocQwen.Load(resolved.Folder, options.Model, arrCoc.Value, limits.Value, device, dtype), cancellationToken).ConfigureAwait(false);
        return new QwenAnswerer(model);
    }

    /// <summary>
    /// The files' progress summed into one fraction of all bytes to fetch (the downloader announces every file
    /// first). Reported synchronously, in the order the downloads report, so the fraction never goes backwards.
    /// </summary>
    sealed class DownloadTotals(IProgress<ModelLoadReport> progress) : IProgress<DownloadProgress>
    {
        readonly Dictionary<string, (long Done, long Total)> files = [];

        public void Report(DownloadProgress value)
        {
            lock (files)
            {
                files[value.File] = (value.Bytes, value.Total);
                long done = files.Values.Sum(b => b.Done), total = files.Values.Sum(b => b.Total);
                progress.Report(new ModelLoadReport(ModelState.Downloading, $"{value.File}: {done / 1048576.0:0} of {total / 1048576.0:0} MB",
                    total > 0 ? (double)done / total : null));
            }
        }
    }
}
