using System.Text.RegularExpressions;

namespace ArrCoc.EndToEnd.Tests.Deployment;

/// <summary>
/// Static checks of the container recipe (no Docker engine runs here): what a Hugging Face Docker Space needs and
/// what must never be in an image.
/// </summary>
public class DockerfileTests
{
    static readonly string Dockerfile = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "Dockerfile"));

    /// <summary>Instructions with line continuations joined, comments dropped.</summary>
    static IReadOnlyList<(string Keyword, string Arguments)> Instructions()
    {
        var joined = Regex.Replace(Dockerfile, @"\\\r?\n", " ");
        return joined.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => { var space = l.IndexOf(' '); return (l[..space].ToUpperInvariant(), l[(space + 1)..].Trim()); })
            .ToList();
    }

    [Fact]
    public void Stages_SdkBuildsAndAnUbuntu2404RuntimeRuns()
    {
        var froms = Instructions().Where(i => i.Keyword == "FROM").Select(i => i.Arguments).ToList();
        Assert.Contains(froms, f => f.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0-noble AS build", StringComparison.Ordinal));
        Assert.Contains(froms, f => f.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0-noble AS runtime-cpu", StringComparison.Ordinal));
        // CUDA 12.8 = LibTorch 2.10's; Ubuntu 24.04 (GLIBCXX_3.4.33) so TorchSharp loads without the Debian-12 fix.
        Assert.Contains(froms, f => Regex.IsMatch(f, @"^nvidia/cuda:12\.8\.\d+-cudnn-runtime-ubuntu24\.04 AS runtime-cuda$"));
        Assert.Equal("runtime-${VARIANT} AS final", froms[^1]);
        Assert.Contains(Instructions(), i => i.Keyword == "ARG" && i.Arguments == "VARIANT=cpu");
    }

    [Fact]
    public void Runtime_ListensOn7860AsUid1000WithAHealthCheck()
    {
        var final = Instructions().SkipWhile(i => !(i.Keyword == "FROM" && i.Arguments.EndsWith("AS final", StringComparison.Ordinal))).ToList();
        Assert.Contains(final, i => i.Keyword == "EXPOSE" && i.Arguments == "7860");
        Assert.Contains(final, i => i.Keyword == "ENV" && i.Arguments.Contains("ASPNETCORE_URLS=http://0.0.0.0:7860", StringComparison.Ordinal));
        Assert.Contains(final, i => i.Keyword == "USER" && i.Arguments == "1000");
        Assert.Contains(final, i => i.Keyword == "ENV" && i.Arguments.Contains("HOME=/home/user", StringComparison.Ordinal));
        var health = Assert.Single(final, i => i.Keyword == "HEALTHCHECK");
        Assert.Contains("http://127.0.0.1:7860/healthz", health.Arguments);
        var entry = Assert.Single(final, i => i.Keyword == "ENTRYPOINT");
        Assert.Contains("/app/entrypoint.sh", entry.Arguments);
        Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, "docker", "entrypoint.sh")));
    }

    [Fact]
    public void NoSecretsInTheImage()
    {
        foreach (var (keyword, arguments) in Instructions().Where(i => i.Keyword is "ENV" or "ARG" or "RUN" or "LABEL"))
            Assert.DoesNotMatch(new Regex(@"(HF_TOKEN|GITHUB_TOKEN|TOKEN|SECRET|PASSWORD)\s*=", RegexOptions.IgnoreCase), $"{keyword} {arguments}");
        Assert.DoesNotContain("hf_", Dockerfile);
    }

    [Fact]
    public void Entrypoint_PutsTheCacheOnPersistentStorageWhenThereIsAny()
    {
        var script = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docker", "entrypoint.sh"));
        Assert.Contains("HF_HOME=/data/huggingface", script);
        Assert.Contains("HF_HOME=\"$HOME/.cache/huggingface\"", script);
        Assert.Contains("exec /app/ArrCoc.Microscope", script);
    }

    [Fact]
    public void DockerIgnore_KeepsBuildOutputAndHistoryOut()
    {
        var ignore = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, ".dockerignore")).Select(l => l.Trim()).ToHashSet();
        foreach (var entry in new[] { ".git", "**/bin", "**/obj" }) Assert.Contains(entry, ignore);
    }

    [Fact]
    public void Readme_IsTheSpaceCardForThisImage()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        Assert.StartsWith("---\n", readme);
        var frontMatter = readme[4..readme.IndexOf("\n---\n", 4, StringComparison.Ordinal)];
        Assert.Contains("sdk: docker", frontMatter);
        Assert.Contains("app_port: 7860", frontMatter);
        Assert.Contains("Qwen/Qwen3-VL-2B-Instruct", frontMatter);
        var shortDescription = Regex.Match(frontMatter, "short_description: (.+)").Groups[1].Value;
        Assert.InRange(shortDescription.Length, 1, 60);
    }
}
