namespace ArrCoc.Engine.Service;

/// <summary>
/// Brings the configured language model up in the background at startup (download where needed, then load). The
/// integration registers its own; the default, <see cref="NoModelLoader"/>, runs microscope only.
/// </summary>
public interface IModelLoader
{
    /// <summary>
    /// Report each step (downloading with a fraction, loading) and return the ready answerer, or null when no model is
    /// configured (report <see cref="ModelState.NotConfigured"/> with the reason first). Throw to fail: the
    /// exception's message becomes the visible reason.
    /// </summary>
    Task<IAnswerer?> LoadAsync(IProgress<ModelLoadReport> progress, CancellationToken cancellationToken);
}
