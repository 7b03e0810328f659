namespace ArrCoc.Hub.Fakes;

/// <summary>A fresh temporary folder for one test's cache, deleted afterwards.</summary>
public sealed class TestCache : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("arrcoc-hub-test-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
