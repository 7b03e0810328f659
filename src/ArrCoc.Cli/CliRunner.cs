using System.CommandLine;

namespace ArrCoc.Cli;

/// <summary>
/// Runs the command tree with the CLI's error contract: a failure is a non-zero exit code and one clear
/// line on stderr ("error: ..."), with the stack trace only under --verbose.
/// </summary>
public static class CliRunner
{
    /// <summary>Exit code for a user error (bad input, missing file, impossible K, ...).</summary>
    public const int UserError = 1;

    /// <summary>Exit code for an unexpected internal failure.</summary>
    public const int InternalError = 70;

    /// <summary>Exit code when the user cancelled (Ctrl-C).</summary>
    public const int Cancelled = 130;

    public static async Task<int> RunAsync(RootCommand root, string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        stdout ??= Console.Out;
        stderr ??= Console.Error;
        var parse = root.Parse(args);
        var verbose = parse.GetValue(CliOptions.Verbose);
        try
        {
            var config = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
            if (parse.CommandResult.Command is GracefulCommand graceful) config.ProcessTerminationTimeout = graceful.GracePeriod;
            return await parse.InvokeAsync(config).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await stderr.WriteLineAsync("cancelled").ConfigureAwait(false);
            return Cancelled;
        }
        catch (Exception e) when (IsUserError(e))
        {
            await stderr.WriteLineAsync("error: " + OneLine(UserMessage(e))).ConfigureAwait(false);
            if (verbose) await stderr.WriteLineAsync(e.ToString()).ConfigureAwait(false);
            return UserError;
        }
        catch (Exception e)
        {
            await stderr.WriteLineAsync($"error: internal failure ({e.GetType().Name}): {OneLine(e.Message)}" +
                (verbose ? "" : " (run again with --verbose for details)")).ConfigureAwait(false);
            if (verbose) await stderr.WriteLineAsync(e.ToString()).ConfigureAwait(false);
            return InternalError;
        }
    }

    /// <summary>
    /// Errors the user can act on. Libraries signal them with these standard types (or types derived from
    /// them), never with a bare Exception: bad arguments, bad files, I/O and HTTP failures.
    /// </summary>
    static bool IsUserError(Exception e) =>
        e is ArgumentException or InvalidDataException or IOException or FormatException
            or NotSupportedException or UnauthorizedAccessException or HttpRequestException;

    static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();

    /// <summary>The message without .NET's " (Parameter 'k')" and "Actual value was …" tails: they name code, not the user's flag.</summary>
    static string UserMessage(Exception e)
    {
        if (e is not ArgumentException { ParamName: { } parameter }) return e.Message;
        var tail = e.Message.IndexOf($" (Parameter '{parameter}')", StringComparison.Ordinal);
        return tail < 0 ? e.Message : e.Message[..tail];
    }
}
