namespace ArrCoc.Hub.Fakes;

/// <summary>
/// Base of a test class that gets a fresh fake Hub and an empty cache folder per test. Declare the class
/// `: FakeHubTest, IAsyncLifetime` (xunit calls these two methods); override Arrange to add repositories.
/// </summary>
public abstract class FakeHubTest
{
    protected FakeHub Hub { get; private set; } = null!;

    protected TestCache Cache { get; } = new();

    public async Task InitializeAsync()
    {
        Hub = await FakeHub.StartAsync();
        Arrange(Hub);
    }

    protected virtual void Arrange(FakeHub hub) { }

    public async Task DisposeAsync()
    {
        await Hub.DisposeAsync();
        Cache.Dispose();
    }
}
