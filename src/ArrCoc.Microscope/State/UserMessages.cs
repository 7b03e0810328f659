using ArrCoc.Engine.Service;
using MudBlazor;

namespace ArrCoc.Microscope.State;

/// <summary>
/// Tells the person what went wrong, as a snackbar, and keeps the circuit alive: input problems (bad file, empty
/// question, K out of range, busy) in their own words; anything unexpected is logged and shown briefly.
/// </summary>
public sealed class UserMessages(ISnackbar snackbar, ILogger<UserMessages> logger)
{
    public void Info(string text) => snackbar.Add(Sentence(text), Severity.Info);

    public void Warn(string text) => snackbar.Add(Sentence(text), Severity.Warning);

    public void Problem(string text) => snackbar.Add(Sentence(text), Severity.Error);

    public void Report(Exception error)
    {
        switch (error)
        {
            case OperationCanceledException:
                snackbar.Add("Cancelled.", Severity.Normal);
                break;
            case EngineBusyException or AnsweringUnavailableException:
                Warn(error.Message);
                break;
            case ArgumentException or InvalidDataException or IOException or FormatException or NotSupportedException:
                Problem(error.Message);
                break;
            default:
                logger.LogError(error, "unexpected error in a Microscope action");
                Problem("Something went wrong on the server (it is logged): " + error.Message);
                break;
        }
    }

    /// <summary>Run an action; report any error instead of letting it reach the circuit. True when it succeeded.</summary>
    public async Task<bool> TryAsync(Func<Task> action)
    {
        try
        {
            await action();
            return true;
        }
        catch (Exception e)
        {
            Report(e);
            return false;
        }
    }

    /// <summary>Start with a capital, unless the text starts with a name (a file name keeps its spelling).</summary>
    static string Sentence(string text)
    {
        var firstWord = text.Split(' ', 2)[0];
        return firstWord.Length > 0 && firstWord.All(char.IsLetter) ? char.ToUpperInvariant(text[0]) + text[1..] : text;
    }
}
