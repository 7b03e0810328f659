using System.Diagnostics;
using System.Text.Json;

namespace ArrCoc.EndToEnd.Tests.Deployment;

/// <summary>
/// The GPU image's build switch (-p:TorchBackend=cuda, see Dockerfile) as MSBuild evaluates it: every project that
/// uses tensors gets exactly one LibTorch bundle — never CPU and CUDA side by side in one publish.
/// </summary>
public class TorchBackendTests
{
    static readonly string[] TensorProjects = ["ArrCoc.Core", "ArrCoc.Qwen3VL"];

    public static TheoryData<string> Projects() =>
        new(Directory.GetDirectories(Path.Combine(RepositoryPaths.Root, "src")).Select(Path.GetFileName).OfType<string>().Order());

    [Theory]
    [MemberData(nameof(Projects))]
    public async Task EveryProject_OneLibTorchBundlePerBackend(string project)
    {
        var cpu = await PackageReferencesAsync(project, "cpu");
        var cuda = await PackageReferencesAsync(project, "cuda");

        Assert.DoesNotContain("TorchSharp-cuda-linux", cpu);
        Assert.DoesNotContain("libtorch-cpu-linux-x64", cuda);
        if (TensorProjects.Contains(project))
        {
            Assert.Contains("libtorch-cpu-linux-x64", cpu);
            Assert.Contains("TorchSharp-cuda-linux", cuda);
        }
        else
        {
            Assert.DoesNotContain(cpu.Concat(cuda), p => p.StartsWith("libtorch", StringComparison.OrdinalIgnoreCase) || p.StartsWith("TorchSharp-", StringComparison.Ordinal));
        }
    }

    /// <summary>The project's own PackageReference items as `dotnet msbuild -getItem` evaluates them (no restore, no build).</summary>
    static async Task<IReadOnlyList<string>> PackageReferencesAsync(string project, string backend)
    {
        var run = await ChildProcess.RunAsync("dotnet",
            ["msbuild", Path.Combine("src", project, project + ".csproj"), "-getItem:PackageReference", $"-p:TorchBackend={backend}", "-nologo"],
            RepositoryPaths.Root, TimeSpan.FromMinutes(2));
        Assert.True(run.ExitCode == 0, $"dotnet msbuild {project}: {run.Output}");
        using var json = JsonDocument.Parse(run.Stdout);
        return json.RootElement.GetProperty("Items").GetProperty("PackageReference").EnumerateArray()
            .Select(i => i.GetProperty("Identity").GetString()!).ToList();
    }
}
