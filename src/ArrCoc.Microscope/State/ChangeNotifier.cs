namespace ArrCoc.Microscope.State;

/// <summary>
/// Per-circuit state that tells its components when it changed. Listeners may be called from any thread (worker
/// callbacks): components re-render through InvokeAsync (see StateComponent).
/// </summary>
public abstract class ChangeNotifier
{
    readonly object gate = new();
    readonly List<Func<Task>> listeners = [];

    /// <summary>Call <paramref name="callback"/> after every change; dispose the result to stop.</summary>
    public IDisposable NotifyOnChange(Func<Task> callback)
    {
        lock (gate) listeners.Add(callback);
        return new Subscription(this, callback);
    }

    protected void NotifyChanged()
    {
        Func<Task>[] targets;
        lock (gate) targets = [.. listeners];
        foreach (var target in targets) _ = target();
    }

    sealed class Subscription(ChangeNotifier owner, Func<Task> callback) : IDisposable
    {
        public void Dispose()
        {
            lock (owner.gate) owner.listeners.Remove(callback);
        }
    }
}
