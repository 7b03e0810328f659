using ArrCoc.Hub.Fakes;

namespace ArrCoc.Hub.Tests;

public sealed class ReferenceTests
{
    [Theory]
    [InlineData("Qwen/Qwen3-VL-2B-Instruct", "Qwen", "Qwen3-VL-2B-Instruct", "models--Qwen--Qwen3-VL-2B-Instruct")]
    [InlineData("gpt2", null, "gpt2", "models--gpt2")]
    [InlineData("a_b/c.d-e", "a_b", "c.d-e", "models--a_b--c.d-e")]
    public void RepoIdParse_ValidId_SplitsAndNamesTheCacheFolder(string text, string? ns, string name, string folder)
    {
        var id = RepoId.Parse(text);

        Assert.Equal((ns, name, text, folder), (id.Namespace, id.Name, id.ToString(), id.CacheFolderName()));
    }

    [Theory]
    [InlineData("a/b/c")]
    [InlineData("a--b/c")]
    [InlineData("a/b..c")]
    [InlineData("a/b.git")]
    [InlineData("a b/c")]
    [InlineData("")]
    public void RepoIdParse_InvalidId_ThrowsArgumentException(string text) =>
        Assert.Throws<ArgumentException>(() => RepoId.Parse(text));

    [Theory]
    [InlineData("Qwen/Qwen3-VL-2B-Instruct", null, "main")]
    [InlineData("Qwen/Qwen3-VL-2B-Instruct@v1.0", null, "v1.0")]
    [InlineData("Qwen/Qwen3-VL-2B-Instruct@refs/pr/1", null, "refs/pr/1")]
    [InlineData("Qwen/Qwen3-VL-2B-Instruct@v1.0", "dev", "dev")]
    public void ModelReferenceParse_HubId_TakesTheRevisionAfterAt(string text, string? overrideRevision, string revision)
    {
        var reference = ModelReference.Parse(text, overrideRevision);

        Assert.False(reference.IsLocal);
        Assert.Equal("Qwen/Qwen3-VL-2B-Instruct", reference.Repo!.ToString());
        Assert.Equal(revision, reference.Revision);
    }

    [Fact]
    public void ModelReferenceParse_ExistingFolder_IsLocal()
    {
        using var cache = new TestCache();

        var reference = ModelReference.Parse(cache.Root);

        Assert.True(reference.IsLocal);
        Assert.Equal(cache.Root, reference.LocalFolder);
    }

    [Theory]
    [InlineData("./models/qwen")]
    [InlineData("/no/such/folder")]
    [InlineData("models/qwen/v2")]
    public void ModelReferenceParse_MissingPath_ThrowsDirectoryNotFound(string text) =>
        Assert.Throws<DirectoryNotFoundException>(() => ModelReference.Parse(text));

    [Theory]
    [InlineData("Qwen/x@")]
    [InlineData("not an id")]
    public void ModelReferenceParse_Garbage_ThrowsArgumentException(string text) =>
        Assert.Throws<ArgumentException>(() => ModelReference.Parse(text));
}
