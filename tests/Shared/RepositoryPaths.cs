namespace ArrCoc.Testing;

/// <summary>The repository top (where ArrCoc.Microscope.sln is), found from the test's output folder.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = Find();

    /// <summary>A bundled sample image's bytes (samples/NAME).</summary>
    public static byte[] Sample(string file) => File.ReadAllBytes(Path.Combine(Root, "samples", file));

    static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ArrCoc.Microscope.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("repository root (ArrCoc.Microscope.sln) not found above " + AppContext.BaseDirectory);
    }
}
