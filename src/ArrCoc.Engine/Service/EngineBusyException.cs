namespace ArrCoc.Engine.Service;

/// <summary>The inference queue is full: the caller should try again in a moment. The message says so politely.</summary>
public sealed class EngineBusyException(int capacity)
    : Exception($"The Microscope is busy ({capacity} requests are already waiting); please try again in a moment.")
{
    public int Capacity { get; } = capacity;
}
