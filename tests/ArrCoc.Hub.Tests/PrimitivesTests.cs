using System.Text;
using ArrCoc.Hub.Fakes;

namespace ArrCoc.Hub.Tests;

public sealed class PrimitivesTests
{
    [Fact]
    public void ContentHasher_FortyHexEtag_IsTheGitBlobSha1()
    {
        using var hasher = new ContentHasher(new string('0', 40), 6);
        hasher.Append(Encoding.ASCII.GetBytes("hello\n"));

        Assert.Equal("ce013625030ba8dba906f756967f9e9ca394464a", hasher.Finish()); // git hash-object of "hello\n"
    }

    [Fact]
    public void ContentHasher_SixtyFourHexEtag_IsPlainSha256()
    {
        using var hasher = new ContentHasher(new string('0', 64), 3);
        hasher.Append(Encoding.ASCII.GetBytes("abc"));

        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", hasher.Finish());
    }

    [Fact]
    public void SecretRedactor_TextWithTheToken_MasksEveryOccurrence() =>
        Assert.Equal("a [REDACTED] b [REDACTED]", new SecretRedactor("hf_x", null).Redact("a hf_x b hf_x"));

    [Fact]
    public void HubUrls_RevisionWithSlashes_IsFullyEncodedAndPathsKeepSlashes()
    {
        var urls = new HubUrls(new Uri("https://huggingface.co/"));

        Assert.Equal("https://huggingface.co/Qwen/M/resolve/refs%2Fpr%2F1/sub/a%20b.json",
            urls.Resolve(RepoKind.Model, RepoId.Parse("Qwen/M"), "refs/pr/1", "sub/a b.json").AbsoluteUri);
        Assert.Equal("https://huggingface.co/api/spaces/o/s/settings", urls.Api(RepoKind.Space, RepoId.Parse("o/s"), "settings").AbsoluteUri);
    }

    [Fact]
    public void LinkHeader_NextRelation_IsFound()
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("Link", "<https://h/api/x?cursor=2>; rel=\"next\", <https://h/api/x?cursor=0>; rel=\"prev\"");

        Assert.Equal("https://h/api/x?cursor=2", LinkHeader.Next(response, new Uri("https://h/api/x"))?.AbsoluteUri);
    }

    [Fact]
    public void HubCache_RefsAndCommits_RoundTripAndRejectUnsafeNames()
    {
        using var temp = new TestCache();
        var cache = new HubCache(temp.Root);
        var repo = RepoId.Parse("o/m");
        var commit = new string('a', 40);

        cache.WriteRef(repo, "refs/pr/1", commit);

        Assert.Equal(commit, File.ReadAllText(Path.Combine(temp.Root, "models--o--m", "refs", "refs", "pr", "1")));
        Assert.Equal(commit, cache.ResolveCommit(repo, "refs/pr/1"));
        Assert.Equal(commit, cache.ResolveCommit(repo, commit));
        Assert.Null(cache.ResolveCommit(repo, "main"));
        Assert.Throws<InvalidDataException>(() => cache.SnapshotFile(repo, commit, "../../etc/passwd"));
        Assert.Throws<InvalidDataException>(() => cache.BlobPath(repo, "../x"));
    }

    [Fact]
    public void SnapshotCheck_IndexNamesAMissingShard_ReportsIt()
    {
        using var temp = new TestCache();
        File.WriteAllText(Path.Combine(temp.Root, "config.json"), "{}");
        File.WriteAllText(Path.Combine(temp.Root, "model.safetensors.index.json"),
            "{\"weight_map\": {\"a\": \"model-00001-of-00002.safetensors\", \"b\": \"model-00002-of-00002.safetensors\"}}");
        File.WriteAllText(Path.Combine(temp.Root, "model-00001-of-00002.safetensors"), "x");

        Assert.Equal("model-00002-of-00002.safetensors", SnapshotCheck.WhatIsMissing(temp.Root));
        File.WriteAllText(Path.Combine(temp.Root, "model-00002-of-00002.safetensors"), "x");
        Assert.Null(SnapshotCheck.WhatIsMissing(temp.Root));
    }
}
