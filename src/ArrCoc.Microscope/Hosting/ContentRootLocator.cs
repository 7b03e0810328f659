namespace ArrCoc.Microscope.Hosting;

/// <summary>
/// Finds the content root: the nearest folder, from the app's own folder upwards, that holds both appsettings.json and
/// wwwroot/ — the repository top for `dotnet run` and tests (bin/ sits below it), the publish folder itself for a
/// published app. An explicit --contentRoot or ASPNETCORE_CONTENTROOT wins.
/// </summary>
public static class ContentRootLocator
{
    public static WebApplicationOptions Options(string[] args)
    {
        bool explicitRoot = args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT"));
        if (explicitRoot) return new WebApplicationOptions { Args = args };
        var root = Find(AppContext.BaseDirectory);
        return new WebApplicationOptions { Args = args, ContentRootPath = root, WebRootPath = Path.Combine(root, "wwwroot") };
    }

    public static string Find(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "appsettings.json")) && Directory.Exists(Path.Combine(dir.FullName, "wwwroot")))
                return dir.FullName;
        throw new DirectoryNotFoundException($"no folder with appsettings.json and wwwroot/ above {start}; start the app with --contentRoot DIR");
    }
}
