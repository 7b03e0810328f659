using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ArrCoc.Hub;

/// <summary>
/// Uploads LFS blobs the way non-Xet clients do (facts sheet §3 step C; huggingface_hub lfs.py): a Git LFS batch
/// request to {endpoint}/spaces/{id}.git/info/lfs/objects/batch, then per object either nothing (already stored),
/// one PUT to a pre-signed URL (basic), or PUTs per part plus a completion POST (multipart: chunk_size in
/// the upload header), then the optional verify POST. Pre-signed URLs live on another host and get no token.
/// </summary>
internal sealed class LfsUploader(HubConnection hub)
{
    const string LfsJson = "application/vnd.git-lfs+json";

    public async Task UploadAsync(RepoKind kind, RepoId repo, IReadOnlyList<LocalFile> files, CancellationToken ct)
    {
        foreach (var batch in files.Chunk(256))
        {
            var body = new
            {
                operation = "upload",
                transfers = new[] { "basic", "multipart" },
                objects = batch.Select(f => new { oid = f.Sha256, size = f.Size }),
                hash_algo = "sha256",
                @ref = new { name = "main" },
            };
            using var content = HubConnection.JsonBody(body, LfsJson);
            var context = new HubRequestContext("upload LFS files", kind, repo);
            using var response = await hub.SendCheckedAsync(HttpMethod.Post, hub.Urls.LfsBatch(kind, repo), context, ct, content,
                r => r.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(LfsJson))).ConfigureAwait(false);
            var reply = await HubConnection.ReadJsonAsync<LfsBatchReply>(response, context, ct).ConfigureAwait(false);
            foreach (var obj in reply.Objects)
            {
                var file = batch.First(f => f.Sha256 == obj.Oid);
                if (obj.Error is { } error)
                    throw new HubException($"the Hub refused the LFS upload of {file.RepoPath}: {error.Code} {error.Message}");
                if (obj.Actions?.Upload is { } upload) await UploadAsync(file, upload, context, ct).ConfigureAwait(false);
                if (obj.Actions?.Verify is { } verify)
                {
                    using var verifyBody = HubConnection.JsonBody(new { oid = file.Sha256, size = file.Size }, LfsJson);
                    using var verified = await hub.SendCheckedAsync(HttpMethod.Post, new Uri(verify.Href), context, ct, verifyBody, r => AddHeaders(r, verify.Header)).ConfigureAwait(false);
                }
            }
        }
    }

    async Task UploadAsync(LocalFile file, LfsAction upload, HubRequestContext context, CancellationToken ct)
    {
        var header = upload.Header ?? [];
        if (!header.TryGetValue("chunk_size", out var chunkText))
        {
            await PutAsync(new Uri(upload.Href), file.Content, context, ct).ConfigureAwait(false);
            return;
        }
        var chunk = int.Parse(chunkText, System.Globalization.CultureInfo.InvariantCulture);
        var partUrls = header.Where(kv => int.TryParse(kv.Key, out _)).OrderBy(kv => int.Parse(kv.Key, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var expected = (int)((file.Size + chunk - 1) / chunk);
        if (partUrls.Count != expected)
            throw new HubProtocolException($"the Hub gave {partUrls.Count} part URLs for {file.RepoPath}, expected {expected} ({file.Size} bytes in parts of {chunk}).");
        var parts = new List<object>();
        for (var i = 0; i < partUrls.Count; i++)
        {
            var slice = file.Content.AsMemory(i * chunk, (int)Math.Min(chunk, file.Size - (long)i * chunk)).ToArray();
            var etag = await PutAsync(new Uri(partUrls[i].Value), slice, context, ct).ConfigureAwait(false);
            parts.Add(new { partNumber = i + 1, etag });
        }
        using var completion = HubConnection.JsonBody(new { oid = file.Sha256, parts }, LfsJson);
        using var completed = await hub.SendCheckedAsync(HttpMethod.Post, new Uri(upload.Href), context, ct, completion).ConfigureAwait(false);
    }

    /// <returns>The ETag the storage gave the part (needed by the multipart completion).</returns>
    async Task<string?> PutAsync(Uri url, byte[] bytes, HubRequestContext context, CancellationToken ct)
    {
        using var content = new ByteArrayContent(bytes);
        using var response = await hub.SendCheckedAsync(HttpMethod.Put, url, context, ct, content).ConfigureAwait(false);
        return response.Message.Headers.ETag?.Tag ?? (response.Message.Headers.TryGetValues("ETag", out var v) ? v.FirstOrDefault() : null);
    }

    static void AddHeaders(HttpRequestMessage request, Dictionary<string, string>? header)
    {
        foreach (var (name, value) in header ?? [])
            request.Headers.TryAddWithoutValidation(name, value);
    }
}

internal sealed record LfsBatchReply([property: JsonPropertyName("objects")] IReadOnlyList<LfsObject> Objects);

internal sealed record LfsObject(
    [property: JsonPropertyName("oid")] string Oid,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("actions")] LfsActions? Actions,
    [property: JsonPropertyName("error")] LfsError? Error);

internal sealed record LfsActions(
    [property: JsonPropertyName("upload")] LfsAction? Upload,
    [property: JsonPropertyName("verify")] LfsAction? Verify);

internal sealed record LfsAction(
    [property: JsonPropertyName("href")] string Href,
    [property: JsonPropertyName("header")] Dictionary<string, string>? Header);

internal sealed record LfsError(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("message")] string? Message);
