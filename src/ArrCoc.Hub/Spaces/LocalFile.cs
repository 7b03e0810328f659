using System.Security.Cryptography;

namespace ArrCoc.Hub;

/// <summary>A file to commit: its path in the repository ("src/App/Program.cs") and where it is on disk.</summary>
public sealed class LocalFile(string repoPath, string diskPath)
{
    byte[]? content;

    public string RepoPath { get; } = repoPath;

    public string DiskPath { get; } = diskPath;

    public long Size => new FileInfo(DiskPath).Length;

    /// <summary>Read once; deploy uploads source files and small assets.</summary>
    public byte[] Content => content ??= File.ReadAllBytes(DiskPath);

    public string Sha256 => Convert.ToHexStringLower(SHA256.HashData(Content));

    public string GitSha1
    {
        get
        {
            using var hasher = new ContentHasher(new string('0', 40), Content.Length);
            hasher.Append(Content);
            return hasher.Finish();
        }
    }

    /// <summary>The first 512 bytes, base64: what preupload looks at to decide regular or LFS.</summary>
    public string Sample => Convert.ToBase64String(Content.AsSpan(0, Math.Min(512, Content.Length)));
}
