using ArrCoc.Hub;
using Spectre.Console;

namespace ArrCoc.Cli.Hub;

/// <summary>
/// Progress of Hub downloads on stderr (stdout keeps only results). On a terminal: live Spectre.Console bars,
/// one per file (bar, percentage, bytes, speed, time left). Redirected (logs, CI, tests): one plain line per
/// finished file.
/// </summary>
public static class DownloadProgressView
{
    public static async Task<T> RunAsync<T>(TextWriter stderr, Func<IProgress<DownloadProgress>, Task<T>> work)
    {
        if (ProgressView.LiveBars(stderr) is not { } view)
            return await work(new PlainLines(stderr)).ConfigureAwait(false);
        view.Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn());
        return await view.StartAsync(context => work(new LiveBars(context))).ConfigureAwait(false);
    }

    sealed class LiveBars(ProgressContext context) : IProgress<DownloadProgress>
    {
        readonly Dictionary<string, ProgressTask> tasks = [];

        public void Report(DownloadProgress value)
        {
            ProgressTask task;
            lock (tasks)
            {
                if (!tasks.TryGetValue(value.File, out task!))
                    tasks[value.File] = task = context.AddTask(Markup.Escape(value.File), maxValue: Math.Max(1, value.Total));
            }
            task.Value = value.Total == 0 ? 1 : value.Bytes;
        }
    }

    sealed class PlainLines(TextWriter writer) : IProgress<DownloadProgress>
    {
        readonly HashSet<string> done = [];

        public void Report(DownloadProgress value)
        {
            if (!value.IsComplete) return;
            lock (done)
            {
                if (done.Add(value.File))
                    writer.WriteLine($"downloaded {value.File} ({value.Total:N0} bytes, {value.BytesPerSecond / (1 << 20):0.0} MiB/s)");
            }
        }
    }
}
