using ArrCoc.Core;
using ArrCoc.Core.Checkpoints;
using ArrCoc.Microscope.Components.Tabs;
using ArrCoc.Microscope.State;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace ArrCoc.Microscope.Tests.Tabs;

/// <summary>The Compare tab's checkpoint picker against the real engine: the configured folder's checkpoints side by side.</summary>
public class CompareTabTests : MicroscopeContext
{
    static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task CheckpointPicker_ListsTheFolder_AndComparesALocalCheckpointWithTheDefault()
    {
        using var folder = new TempDirectory();
        using (var trained = new ArrCocModel(queryDim: 64, seed: 42))
            ArrCocCheckpoint.Save(trained, folder.File("trained.safetensors"));
        await StartEngineAsync(settings: new Dictionary<string, string?>
        {
            ["ArrCoc:Grid"] = "4x5",
            ["ArrCoc:K"] = "6",
            ["ArrCoc:FallbackQueryDim"] = "64",
            ["Engine:CheckpointsFolder"] = folder.Path,
        });
        var session = Services.GetRequiredService<MicroscopeState>();
        await session.LoadSampleAsync("shapes");
        var cut = RenderWithProviders<CompareTab>();

        cut.WaitForAssertion(() => Assert.Equal("3 checkpoints on offer", cut.Find("[data-testid=checkpoint-count]").TextContent.Trim()), Wait);
        var compare = Services.GetRequiredService<CompareState>();
        Assert.Equal(["untrained (seed 0)", "untrained (seed 1)", "local: trained.safetensors"], compare.Checkpoints.Select(c => c.Label));
        Assert.Empty(cut.FindAll("[data-testid=checkpoint-problem]"));

        compare.CheckpointB = compare.Checkpoints[2];
        compare.CheckpointQuestion = "Where is the circle?";
        await cut.InvokeAsync(() => cut.Find("[data-testid=checkpoint-run]").Click());

        cut.WaitForAssertion(() => cut.Find("[data-testid=checkpoint-overlap]"), Wait);
        var (a, b) = compare.CheckpointResults!.Value;
        Assert.Equal("untrained (seed 0)", a.Checkpoint);
        Assert.Equal(folder.File("trained.safetensors"), b.Checkpoint);
        Assert.NotEqual(a.Relevance.Balanced, b.Relevance.Balanced);
        Assert.NotNull(cut.Find("[data-testid=checkpoint-b-balanced]"));
        Assert.Empty(Messages);
    }

    [Fact]
    public async Task CheckpointPicker_AWeightsFileOfAnotherQueryDimension_IsAMessageNotACrash()
    {
        using var folder = new TempDirectory();
        using (var other = new ArrCocModel(queryDim: 32, seed: 1))
            ArrCocCheckpoint.Save(other, folder.File("other-dim.safetensors"));
        await StartEngineAsync(settings: new Dictionary<string, string?>
        {
            ["ArrCoc:Grid"] = "4x5",
            ["ArrCoc:FallbackQueryDim"] = "64",
            ["Engine:CheckpointsFolder"] = folder.Path,
        });
        await Services.GetRequiredService<MicroscopeState>().LoadSampleAsync("shapes");
        var cut = RenderWithProviders<CompareTab>();
        var compare = Services.GetRequiredService<CompareState>();
        cut.WaitForAssertion(() => Assert.Equal(3, compare.Checkpoints.Count), Wait);

        compare.CheckpointA = compare.Checkpoints[2];
        compare.CheckpointQuestion = "Where is the circle?";
        await cut.InvokeAsync(() => cut.Find("[data-testid=checkpoint-run]").Click());

        cut.WaitForAssertion(() => Assert.Contains(Messages, m => m.Contains("other-dim.safetensors")), Wait);
        Assert.Null(compare.CheckpointResults);
    }
}
