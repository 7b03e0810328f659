using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ArrCoc.Hub.Fakes;

/// <summary>
/// The "CDN" an LFS resolve redirects to: a raw HTTP/1.1 server on 127.0.0.1 (another port, so another origin),
/// written on a TcpListener so that it can end a transfer exactly after N bytes with a clean FIN. Serves
/// GET/HEAD /blobs/{sha256}, honours Range, counts the body bytes it sent per blob, records each request.
/// </summary>
public sealed class FakeCdn : IAsyncDisposable
{
    readonly TcpListener listener = new(IPAddress.Loopback, 0);
    readonly CancellationTokenSource stop = new();
    readonly ConcurrentDictionary<string, byte[]> blobs = new();
    readonly ConcurrentDictionary<string, long> served = new();
    readonly ConcurrentDictionary<string, int> dropAfter = new();
    readonly ConcurrentDictionary<string, int> corruptNext = new();
    readonly Task loop;

    public FakeCdn()
    {
        listener.Start();
        BaseUrl = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        loop = AcceptLoopAsync();
    }

    public string BaseUrl { get; }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Answer every Range request with the whole file (200), as some CDNs do.</summary>
    public bool IgnoreRange { get; set; }

    public void Add(FakeFile file) => blobs[file.Sha256] = file.Content;

    public string UrlFor(FakeFile file) => $"{BaseUrl}/blobs/{file.Sha256}?X-Amz-Signature=fake-signature";

    /// <summary>Body bytes sent for a blob so far (all requests).</summary>
    public long BytesServed(string sha256) => served.GetValueOrDefault(sha256);

    /// <summary>The next GET of this blob sends its headers and only <paramref name="bytes"/> body bytes, then closes.</summary>
    public void DropNextAfter(string sha256, int bytes) => dropAfter[sha256] = bytes;

    /// <summary>The next <paramref name="times"/> GETs of this blob flip one byte in the middle.</summary>
    public void CorruptNext(string sha256, int times = 1) => corruptNext[sha256] = times;

    async Task AcceptLoopAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = await ReadHeadAsync(stream);
                if (head is null) return;
                var lines = head.Split("\r\n");
                var parts = lines[0].Split(' ');
                var headers = lines.Skip(1).Where(l => l.Contains(':', StringComparison.Ordinal))
                    .ToDictionary(l => l[..l.IndexOf(':', StringComparison.Ordinal)].Trim().ToLowerInvariant(),
                        l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim());
                Requests.Enqueue(new RecordedRequest(parts[0], parts[1], headers.GetValueOrDefault("authorization"), headers.GetValueOrDefault("range")));
                await RespondAsync(stream, parts[0], new Uri("http://x" + parts[1]).AbsolutePath, headers.GetValueOrDefault("range"));
                client.Client.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                // the client went away: nothing to do
            }
        }
    }

    async Task RespondAsync(NetworkStream stream, string method, string path, string? range)
    {
        var sha = path.StartsWith("/blobs/", StringComparison.Ordinal) ? path["/blobs/".Length..] : "";
        if (!blobs.TryGetValue(sha, out var content))
        {
            await WriteAsync(stream, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            return;
        }
        long from = 0;
        if (range is not null && !IgnoreRange && range.StartsWith("bytes=", StringComparison.Ordinal))
            from = long.Parse(range["bytes=".Length..].Split('-')[0], System.Globalization.CultureInfo.InvariantCulture);
        if (from >= content.Length && content.Length > 0)
        {
            await WriteAsync(stream, $"HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */{content.Length}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            return;
        }
        var body = content.AsSpan((int)from).ToArray();
        var status = from > 0 ? "206 Partial Content" : "200 OK";
        var contentRange = from > 0 ? $"Content-Range: bytes {from}-{content.Length - 1}/{content.Length}\r\n" : "";
        await WriteAsync(stream, $"HTTP/1.1 {status}\r\nContent-Length: {body.Length}\r\n{contentRange}Accept-Ranges: bytes\r\n" +
            "Content-Type: application/octet-stream\r\nConnection: close\r\n\r\n");
        if (method == "HEAD") return;
        if (corruptNext.TryGetValue(sha, out var corrupt) && corrupt > 0 && corruptNext.TryUpdate(sha, corrupt - 1, corrupt))
            body[body.Length / 2] ^= 0xFF;
        var count = dropAfter.TryRemove(sha, out var drop) ? Math.Min(drop, body.Length) : body.Length;
        // Counted before the write: the client may have read (and the test asserted on) every byte before
        // WriteAsync returns here.
        served.AddOrUpdate(sha, count, (_, n) => n + count);
        await stream.WriteAsync(body.AsMemory(0, count));
        await stream.FlushAsync();
    }

    static async Task<string?> ReadHeadAsync(NetworkStream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (bytes.Count < 16384)
        {
            if (await stream.ReadAsync(one) == 0) return null;
            bytes.Add(one[0]);
            if (bytes.Count >= 4 && bytes[^4] == '\r' && bytes[^3] == '\n' && bytes[^2] == '\r' && bytes[^1] == '\n')
                return Encoding.ASCII.GetString([.. bytes]).TrimEnd();
        }
        return null;
    }

    static Task WriteAsync(NetworkStream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await loop;
        stop.Dispose();
    }
}

/// <summary>One request as a fake server saw it.</summary>
public sealed record RecordedRequest(string Method, string PathAndQuery, string? Authorization, string? Range);
