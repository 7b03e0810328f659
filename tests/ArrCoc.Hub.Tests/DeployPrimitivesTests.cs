using System.Text;
using System.Text.Json;

namespace ArrCoc.Hub.Tests;

public sealed class DeployPrimitivesTests
{
    [Theory]
    [InlineData("docs/", "docs/notes.md", true)]
    [InlineData("docs", "docs/a/b.md", true)]
    [InlineData("*.log", "build.log", true)]
    [InlineData("*.log", "logs/build.log", false)]
    [InlineData("**/*.log", "logs/build.log", true)]
    [InlineData("**/bin", "src/App/bin/x.dll", true)]
    [InlineData("/tests", "tests/a.cs", true)]
    [InlineData("src/*/obj", "src/App/obj/x", true)]
    [InlineData("file?.txt", "file1.txt", true)]
    [InlineData("file[0-9].txt", "filea.txt", false)]
    [InlineData("file[!0-9].txt", "filea.txt", true)]
    public void DockerIgnore_Pattern_MatchesLikeDocker(string rules, string path, bool excluded) =>
        Assert.Equal(excluded, new DockerIgnore(rules).IsExcluded(path));

    [Fact]
    public void DockerIgnore_ExceptionAfterExclusion_ReincludesAndLastRuleWins()
    {
        var ignore = new DockerIgnore("# comment\n*.md\n!README.md\n\nsecret/\n");

        Assert.True(ignore.IsExcluded("CHANGES.md"));
        Assert.False(ignore.IsExcluded("README.md"));
        Assert.True(ignore.IsExcluded("secret/key.txt"));
        Assert.False(ignore.IsExcluded("src/a.cs"));
    }

    [Fact]
    public void CommitPayload_Files_IsNdjsonWithTheHeaderFirst()
    {
        using var temp = new Fakes.TestCache();
        File.WriteAllText(Path.Combine(temp.Root, "a.txt"), "hi");
        File.WriteAllBytes(Path.Combine(temp.Root, "b.bin"), [0, 1, 2]);
        var regular = new LocalFile("a.txt", Path.Combine(temp.Root, "a.txt"));
        var lfs = new LocalFile("assets/b.bin", Path.Combine(temp.Root, "b.bin"));

        var lines = Encoding.UTF8.GetString(SpaceUploader.CommitPayload("Deploy", "abc123", [regular], [lfs])).Split('\n');

        Assert.Equal(4, lines.Length);
        Assert.Equal("", lines[3]);
        var header = JsonDocument.Parse(lines[0]).RootElement;
        Assert.Equal("header", header.GetProperty("key").GetString());
        Assert.Equal("abc123", header.GetProperty("value").GetProperty("parentCommit").GetString());
        var file = JsonDocument.Parse(lines[1]).RootElement.GetProperty("value");
        Assert.Equal(("a.txt", "aGk=", "base64"), (file.GetProperty("path").GetString(), file.GetProperty("content").GetString(), file.GetProperty("encoding").GetString()));
        var pointer = JsonDocument.Parse(lines[2]).RootElement;
        Assert.Equal("lfsFile", pointer.GetProperty("key").GetString());
        Assert.Equal(lfs.Sha256, pointer.GetProperty("value").GetProperty("oid").GetString());
        Assert.Equal(3, pointer.GetProperty("value").GetProperty("size").GetInt64());
    }

    [Theory]
    [InlineData("data: {\"data\": \"Step 1/9\\n\", \"timestamp\": \"t\"}", "Step 1/9")]
    [InlineData("data: ", null)]
    [InlineData(": keep-alive", null)]
    public void SpaceLogLine_ServerSentEvent_GivesTheText(string line, string? text) =>
        Assert.Equal(text, SpaceLogLine.Parse(line));

    [Fact]
    public void GitHubOptions_Environment_GivesApiUrlAndToken()
    {
        var options = new GitHubOptions(name => name switch { "GITHUB_API_URL" => "https://ghe.example/api/v3", "GITHUB_TOKEN" => "ghp_x", _ => null });

        Assert.Equal(("https://ghe.example/api/v3", "ghp_x"), (options.ApiUrl, options.Token));
        Assert.Equal(GitHubOptions.DefaultApiUrl, new GitHubOptions(_ => null).ApiUrl);
        Assert.DoesNotContain("ghp_x", options.ToString(), StringComparison.Ordinal);
    }
}
