using Microsoft.Extensions.Options;

namespace ArrCoc.Engine.Service;

/// <summary>
/// The loader of a build without the Qwen3-VL integration: microscope only. With no model configured it says so; with
/// one configured it fails with the reason (this build cannot load it), so the UI shows why answering is disabled.
/// </summary>
public sealed class NoModelLoader(IOptions<EngineOptions> options) : IModelLoader
{
    public Task<IAnswerer?> LoadAsync(IProgress<ModelLoadReport> progress, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(options.Value.Model))
        {
            progress.Report(new ModelLoadReport(ModelState.NotConfigured, ModelStatus.NotConfiguredReason));
            return Task.FromResult<IAnswerer?>(null);
        }
        throw new NotSupportedException($"this build has no Qwen3-VL loader yet, so '{options.Value.Model}' cannot be loaded");
    }
}
