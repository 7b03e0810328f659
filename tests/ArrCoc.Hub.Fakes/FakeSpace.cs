namespace ArrCoc.Hub.Fakes;

/// <summary>A Space on the fake Hub: visibility, files at its head commit, settings, and a scripted runtime.</summary>
public sealed class FakeSpace(string id) : IFakeFiles
{
    public string Id { get; } = id;

    public bool Private { get; set; }

    public string Sdk { get; set; } = "docker";

    public string Commit { get; set; } = new('0', 40);

    public Dictionary<string, byte[]> Files { get; } = [];

    public HashSet<string> LfsPaths { get; } = [];

    public Dictionary<string, string> Secrets { get; } = [];

    public Dictionary<string, string> Variables { get; } = [];

    public string? Hardware { get; set; }

    /// <summary>Stages GET .../runtime answers after a commit, one per call; the last one repeats.</summary>
    public List<string> Stages { get; set; } = ["BUILDING", "BUILDING", "APP_STARTING", "RUNNING"];

    public int StageIndex { get; set; }

    /// <summary>errorMessage of the runtime when the script ends in an error stage.</summary>
    public string? ErrorMessage { get; set; }

    public List<string> BuildLogs { get; } = ["Step 1/9 : FROM mcr.microsoft.com/dotnet/sdk:10.0", "Step 2/9 : RUN dotnet restore"];

    public string Stage => Stages[Math.Min(StageIndex, Stages.Count - 1)];

    public string Subdomain => Id.Replace('/', '-').ToLowerInvariant();

    public string GitPrefix => "spaces/";

    public bool TryGetFile(string path, out byte[] content, out bool lfs)
    {
        lfs = LfsPaths.Contains(path);
        return Files.TryGetValue(path, out content!);
    }

    public void SetFile(string path, byte[] content, bool lfs)
    {
        Files[path] = content;
        if (lfs) LfsPaths.Add(path);
        else LfsPaths.Remove(path);
    }
}
