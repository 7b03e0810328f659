using System.CommandLine;

namespace ArrCoc.Cli;

/// <summary>
/// A verb that needs time to stop cleanly after Ctrl-C (train: finish the current example, save a checkpoint).
/// System.CommandLine otherwise gives an action 2 s after the signal before it returns 130 and the process ends.
/// </summary>
public sealed class GracefulCommand(string name, string description, TimeSpan gracePeriod) : Command(name, description)
{
    /// <summary>How long the action may take to stop after Ctrl-C, e.g. 30 minutes.</summary>
    public TimeSpan GracePeriod { get; } = gracePeriod;
}
