using ArrCoc.Microscope.State;
using Microsoft.AspNetCore.Components;

namespace ArrCoc.Microscope.Components;

/// <summary>
/// A component that re-renders when its session's state changes (from any thread, through InvokeAsync) and stops
/// listening when it goes away.
/// </summary>
public abstract class StateComponent : ComponentBase, IDisposable
{
    readonly List<IDisposable> subscriptions = [];

    [Inject] protected MicroscopeState Session { get; set; } = default!;

    protected override void OnInitialized() => Follow(Session);

    /// <summary>Also re-render when <paramref name="state"/> changes.</summary>
    protected void Follow(ChangeNotifier state) => subscriptions.Add(state.NotifyOnChange(Refresh));

    int refreshPending;

    /// <summary>
    /// Queue one re-render; changes that arrive before it runs share it (a streamed answer changes many times a second).
    /// It never runs on the caller's thread: a change reported by the inference worker must not render on the worker.
    /// </summary>
    Task Refresh()
    {
        if (Interlocked.Exchange(ref refreshPending, 1) == 1) return Task.CompletedTask;
        _ = Task.Run(async () =>
        {
            try
            {
                await InvokeAsync(() =>
                {
                    Volatile.Write(ref refreshPending, 0);
                    StateHasChanged();
                });
            }
            catch (Exception e)
            {
                await DispatchExceptionAsync(e);
            }
        });
        return Task.CompletedTask;
    }

    public virtual void Dispose()
    {
        foreach (var subscription in subscriptions) subscription.Dispose();
        subscriptions.Clear();
        GC.SuppressFinalize(this);
    }
}
