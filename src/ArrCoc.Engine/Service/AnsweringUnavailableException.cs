namespace ArrCoc.Engine.Service;

/// <summary>An answer was asked for while no language model is ready; the message gives the reason.</summary>
public sealed class AnsweringUnavailableException(string reason)
    : InvalidOperationException($"answering is disabled: {reason}")
{
    public string Reason { get; } = reason;
}
