namespace ArrCoc.Engine.Service;

/// <summary>
/// An <see cref="IProgress{T}"/> that calls its handler at once, on the reporting thread (unlike
/// <see cref="Progress{T}"/>, which posts to the captured synchronization context). The handler must be quick.
/// </summary>
public sealed class SyncProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
