using System.CommandLine;

namespace ArrCoc.Cli;

/// <summary>Options shared by every verb.</summary>
public static class CliOptions
{
    /// <summary>Print stack traces with errors.</summary>
    public static readonly Option<bool> Verbose = new("--verbose")
    {
        Description = "Print full exception details (stack traces) on errors.",
        Recursive = true,
    };
}
