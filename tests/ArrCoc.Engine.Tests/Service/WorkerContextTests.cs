using ArrCoc.Engine.Images;
using ArrCoc.Engine.Service;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ArrCoc.Engine.Tests.Service;

/// <summary>The worker's analyzer cache: one analyzer per checkpoint, the least recently used one dropped beyond four.</summary>
public class WorkerContextTests
{
    static WorkerContext Context()
    {
        var options = new ArrCocOptions { FallbackQueryDim = 16, Grid = "4" };
        var engine = Options.Create(new EngineOptions());
        var host = new ModelHost(new NoModelLoader(engine), engine, Options.Create(options), NullLogger<ModelHost>.Instance);
        return new WorkerContext(options, new ImageLimitsOptions(), host, new ImageStore(engine));
    }

    [Fact]
    public void Analyzer_BeyondFour_DropsTheLeastRecentlyUsed()
    {
        var context = Context();
        var seeds = new[] { 1L, 2, 3, 4 }.ToDictionary(s => s, s => context.Analyzer(CheckpointChoice.Untrained(s)));

        Assert.Same(seeds[1], context.Analyzer(CheckpointChoice.Untrained(1)));  // 1 is now the most recent
        var fifth = context.Analyzer(CheckpointChoice.Untrained(5));              // drops 2
        var sixth = context.Analyzer(CheckpointChoice.Untrained(6));              // drops 3

        Assert.Same(seeds[1], context.Analyzer(CheckpointChoice.Untrained(1)));
        Assert.Same(seeds[4], context.Analyzer(CheckpointChoice.Untrained(4)));
        Assert.Same(fifth, context.Analyzer(CheckpointChoice.Untrained(5)));
        Assert.Same(sixth, context.Analyzer(CheckpointChoice.Untrained(6)));
        Assert.NotSame(seeds[2], context.Analyzer(CheckpointChoice.Untrained(2)));
    }
}
