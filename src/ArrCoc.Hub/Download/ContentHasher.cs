using System.Security.Cryptography;
using System.Text;

namespace ArrCoc.Hub;

/// <summary>
/// Hashes content the way the Hub names it: a 64-hex etag is the sha256 of the content (LFS), a 40-hex etag is
/// the git blob id, sha1("blob {size}\0" + content).
/// </summary>
internal sealed class ContentHasher : IDisposable
{
    readonly IncrementalHash hash;

    public ContentHasher(string etag, long size)
    {
        if (etag.Length == 64)
        {
            hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        }
        else
        {
            hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
            hash.AppendData(Encoding.ASCII.GetBytes($"blob {size}\0"));
        }
    }

    public void Append(ReadOnlySpan<byte> data) => hash.AppendData(data);

    public string Finish() => Convert.ToHexStringLower(hash.GetHashAndReset());

    /// <summary>Feeds a file's first <paramref name="length"/> bytes (the part already downloaded).</summary>
    public async Task AppendFileAsync(string path, long length, CancellationToken ct)
    {
        var buffer = new byte[1 << 20];
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, useAsync: true);
        for (long left = length; left > 0;)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), ct).ConfigureAwait(false);
            if (read == 0) throw new IOException($"{path} is shorter than {length} bytes.");
            Append(buffer.AsSpan(0, read));
            left -= read;
        }
    }

    /// <summary>True when the file has the expected size and hashes to its etag.</summary>
    public static async Task<bool> MatchesAsync(string path, string etag, long size, CancellationToken ct)
    {
        if (new FileInfo(path).Length != size) return false;
        using var hasher = new ContentHasher(etag, size);
        await hasher.AppendFileAsync(path, size, ct).ConfigureAwait(false);
        return hasher.Finish() == etag;
    }

    public void Dispose() => hash.Dispose();
}
