using System.Security.Cryptography;

namespace ArrCoc.Hub.Fakes;

/// <summary>A folder tree as text: "dir", "file:{sha256 of content}" or "link:{target as written}", per relative path.</summary>
public static class CacheTree
{
    public static SortedDictionary<string, string> Describe(string folder)
    {
        var tree = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 };
        foreach (var path in Directory.EnumerateFileSystemEntries(folder, "*", options))
        {
            var info = new FileInfo(path);
            var relative = Path.GetRelativePath(folder, path).Replace('\\', '/');
            tree[relative] = info.LinkTarget is { } target ? "link:" + target
                : Directory.Exists(path) ? "dir"
                : File(System.IO.File.ReadAllBytes(path));
        }
        return tree;
    }

    public static string File(byte[] content) => "file:" + Convert.ToHexStringLower(SHA256.HashData(content));

    public static string Text(SortedDictionary<string, string> tree) => string.Join('\n', tree.Select(kv => $"{kv.Key} = {kv.Value}"));
}
