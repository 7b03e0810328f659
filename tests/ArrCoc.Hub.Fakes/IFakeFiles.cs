namespace ArrCoc.Hub.Fakes;

/// <summary>What the fake Hub's upload endpoints need of a repository of any kind (Space or model).</summary>
public interface IFakeFiles
{
    string Id { get; }

    /// <summary>The head commit (40 hex; zeros before the first commit).</summary>
    string Commit { get; set; }

    /// <summary>URL path prefix of the repository's git endpoints: "spaces/" or "" for a model.</summary>
    string GitPrefix { get; }

    /// <summary>The file's content and whether it is stored through LFS.</summary>
    bool TryGetFile(string path, out byte[] content, out bool lfs);

    void SetFile(string path, byte[] content, bool lfs);
}
