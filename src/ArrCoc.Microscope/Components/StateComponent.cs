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

    async Task Refresh()
    {
        try
        {
            await InvokeAsync(StateHasChanged);
        }
        catch (Exception e)
        {
            await DispatchExceptionAsync(e);
        }
    }

    public virtual void Dispose()
    {
        foreach (var subscription in subscriptions) subscription.Dispose();
        subscriptions.Clear();
        GC.SuppressFinalize(this);
    }
}
