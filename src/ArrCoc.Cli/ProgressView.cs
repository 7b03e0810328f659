using Spectre.Console;

namespace ArrCoc.Cli;

/// <summary>Reports the progress of a long verb: how many units are done, a live description, and a plain line.</summary>
public interface IProgressReporter
{
    /// <param name="done">Units done so far (steps, questions).</param>
    /// <param name="live">Shown beside the bar on a terminal, e.g. "loss 6.64 · lr 3.0e-03".</param>
    /// <param name="line">Written as one line when stderr is not a terminal (logs, CI, tests).</param>
    void Report(int done, string live, string line);

    /// <summary>An event worth a line of its own (a checkpoint saved or pushed): a line, or the bar's caption.</summary>
    void Note(string line);
}

/// <summary>
/// Progress of `train` and `validate` on stderr (stdout keeps the results): a Spectre.Console bar with the live
/// description, percentage and time left on a terminal; one plain line per report when redirected.
/// </summary>
public static class ProgressView
{
    public static async Task<T> RunAsync<T>(TextWriter stderr, string title, int total, int start, Func<IProgressReporter, Task<T>> work)
    {
        if (LiveBars(stderr) is not { } view)
            return await work(new PlainLines(stderr)).ConfigureAwait(false);
        view.Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn());
        return await view.StartAsync(context =>
        {
            var task = context.AddTask(Markup.Escape(title), maxValue: Math.Max(1, total));
            task.Value = start;
            return work(new LiveBar(task, title));
        }).ConfigureAwait(false);
    }

    /// <summary>Spectre.Console progress bars on stderr when it is the process's terminal; null when redirected (or a test's writer).</summary>
    public static Progress? LiveBars(TextWriter stderr)
    {
        if (!ReferenceEquals(stderr, Console.Error) || Console.IsErrorRedirected) return null;
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stderr) });
        return console.Progress().AutoClear(false).HideCompleted(false);
    }

    sealed class LiveBar(ProgressTask task, string title) : IProgressReporter
    {
        string note = "";

        public void Report(int done, string live, string line)
        {
            task.Value = done;
            task.Description = Markup.Escape($"{title} {live}{note}");
        }

        public void Note(string line) => note = " · " + line;
    }

    sealed class PlainLines(TextWriter writer) : IProgressReporter
    {
        public void Report(int done, string live, string line) => Write(line);

        public void Note(string line) => Write(line);

        void Write(string line)
        {
            lock (writer)
            {
                writer.WriteLine(line);
                writer.Flush();
            }
        }
    }
}
