using ArrCoc.Core.Balancing;
using ArrCoc.Microscope.State;
using Microsoft.Extensions.DependencyInjection;

namespace ArrCoc.Microscope.Tests.State;

/// <summary>Knowing-control changes re-run the analysis; a newer change withdraws a re-run still waiting in line.</summary>
public class KnowingRerunTests : MicroscopeContext
{
    [Fact]
    public async Task ManyChangesWhileTheWorkerIsBusy_OneReRunWaits_TheLastSettingWins()
    {
        var answerer = new FakeAnswerer { Gate = new SemaphoreSlim(0) };
        var engine = await StartEngineAsync(answerer);
        var session = Services.GetRequiredService<MicroscopeState>();
        await session.LoadSampleAsync("shapes");
        await session.AnalyzeAsync();
        var asking = session.AskAsync();                                        // holds the worker (gated)
        for (int i = 0; i < 6000 && session.KeptAnswer.Phase != AnswerPhase.Running; i++) await Task.Delay(10);

        var controls = KnowingControls.Learned with { ManualWeights = true };
        var reruns = new List<Task>();
        for (int step = 1; step <= 10; step++)                                 // a slider dragged through ten values
        {
            controls = controls.WithWeight(WayOfKnowing.Information, step / 10.0);
            reruns.Add(session.SetKnowingAsync(controls));
        }

        Assert.Equal(1, engine.Waiting);
        answerer.Gate.Release(100);
        await asking;
        await Task.WhenAll(reruns);
        Assert.Equal(1.0, session.Analysis!.Ablation.FixedWeights![(int)WayOfKnowing.Information]);
        Assert.DoesNotContain(Messages, m => m.Contains("Cancelled"));
    }
}
