using System.Diagnostics;

namespace ArrCoc.Hub;

/// <summary>
/// Progress of one file: path in the repository (e.g. "model.safetensors"), bytes on disk so far (a resumed
/// file starts above 0), its size, and the transfer rate since this run started on it. Every file to fetch is
/// reported once before any download starts. The CLI draws these as progress bars, the Microscope as its status bar.
/// </summary>
public sealed record DownloadProgress(string File, long Bytes, long Total, double BytesPerSecond)
{
    public bool IsComplete => Bytes >= Total;

    public double Fraction => Total <= 0 ? 1 : (double)Bytes / Total;
}

/// <summary>Reports one file's progress at most every 100 ms (and always at the start and the end).</summary>
internal sealed class FileProgressReporter(IProgress<DownloadProgress>? sink, string file, long total)
{
    static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    readonly Stopwatch clock = Stopwatch.StartNew();
    TimeSpan last = TimeSpan.MinValue;
    long startBytes = -1;

    public void Report(long bytes, bool force = false)
    {
        if (sink is null) return;
        if (startBytes < 0) startBytes = bytes;
        var now = clock.Elapsed;
        if (!force && now - last < Interval) return;
        last = now;
        var rate = now.TotalSeconds > 0 ? (bytes - startBytes) / now.TotalSeconds : 0;
        sink.Report(new DownloadProgress(file, bytes, total, rate));
    }
}
