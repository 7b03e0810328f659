using System.Collections.Concurrent;
using ArrCoc.Core.Balancing;
using ArrCoc.Engine.Analysis;
using ArrCoc.Engine.Images;
using ArrCoc.Engine.Integration;
using ArrCoc.Engine.Service;
using SixLabors.ImageSharp;

namespace ArrCoc.Engine.Tests.Service;

public class EngineServiceTests
{
    [Fact]
    public async Task LoadImage_HoldsItAndReturnsPlainData()
    {
        await using var host = await EngineHost.StartAsync();

        var image = await host.LoadAsync("red.png");

        Assert.Equal(("red.png", 64, 48, 4, 4), (image.Name, image.OriginalWidth, image.OriginalHeight, image.Rows, image.Columns));
        using var display = Image.Load(image.DisplayPng);
        Assert.Equal((4 * ImageHandle.DisplayCellPixels, 4 * ImageHandle.DisplayCellPixels), (display.Width, display.Height));
    }

    [Fact]
    public async Task LoadImage_NotAnImage_ThrowsImageInputException()
    {
        await using var host = await EngineHost.StartAsync();

        var error = await Assert.ThrowsAsync<ImageInputException>(() =>
            host.Engine.LoadImageAsync(new ImageInput("%PDF-1.4 not an image"u8.ToArray(), "doc.pdf")));
        Assert.Contains("PDF", error.Message);
    }

    [Fact]
    public async Task Analyze_HeldImage_UsesRequestedKAndAblation()
    {
        await using var host = await EngineHost.StartAsync();
        var image = await host.LoadAsync();
        var ablation = new BalancerOverride { Disabled = new HashSet<WayOfKnowing> { WayOfKnowing.Participatory } };

        var result = await host.Engine.AnalyzeAsync(image, new AnalysisRequest { Question = "Where?", K = 3, Ablation = ablation });

        Assert.Equal(3, result.K);
        Assert.Equal(16, result.Relevance.Cells);
        Assert.Equal(0f, result.Relevance.Weights[(int)WayOfKnowing.Participatory]);
        Assert.Equal("untrained (seed 0)", result.Checkpoint);
    }

    [Fact]
    public async Task Analyze_OtherCheckpoint_UsesItsWeights()
    {
        await using var host = await EngineHost.StartAsync();
        var image = await host.LoadAsync();
        var request = new AnalysisRequest { Question = "Where?" };
        var other = host.Engine.Settings.Checkpoints[1];

        var a = await host.Engine.AnalyzeAsync(image, request);
        var b = await host.Engine.AnalyzeAsync(image, request, other);

        Assert.Equal("untrained (seed 1)", b.Checkpoint);
        Assert.NotEqual(a.Relevance.LearnedWeights, b.Relevance.LearnedWeights);
    }

    [Theory]
    [InlineData("", 3, "empty")]
    [InlineData("Where?", 0, "between 1 and 16")]
    [InlineData("Where?", 17, "between 1 and 16")]
    public async Task Analyze_BadRequest_ThrowsArgumentExceptionBeforeQueueing(string question, int k, string expected)
    {
        await using var host = await EngineHost.StartAsync();
        var image = await host.LoadAsync();

        var error = Assert.ThrowsAny<ArgumentException>(() => { _ = host.Engine.AnalyzeAsync(image, new AnalysisRequest { Question = question, K = k }); });

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task Analyze_ReleasedImage_SaysLoadItAgain()
    {
        await using var host = await EngineHost.StartAsync();
        var image = await host.LoadAsync("gone.png");

        host.Engine.Release(image);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => host.Engine.AnalyzeAsync(image, new AnalysisRequest { Question = "Where?" }));
        Assert.Contains("gone.png is no longer held", error.Message);
    }

    [Fact]
    public async Task Release_WhileIdle_FreesTheImageAtOnce()
    {
        await using var host = await EngineHost.StartAsync();
        var image = await host.LoadAsync();
        Assert.Equal(1, host.Engine.ImagesHeld);

        host.Engine.Release(image);

        Assert.Equal(0, host.Engine.ImagesHeld);
    }

    [Fact]
    public async Task LoadImage_BeyondMaxImages_LetsTheLeastRecentlyUsedGo()
    {
        var settings = EngineHost.SmallSettings();
        settings["Engine:MaxImages"] = "2";
        await using var host = await EngineHost.StartAsync(settings: settings);
        var first = await host.LoadAsync("first.png");
        var second = await host.LoadAsync("second.png");
        await host.Engine.AnalyzeAsync(first, new AnalysisRequest { Question = "Where?" });

        await host.LoadAsync("third.png");

        Assert.Equal(2, host.Engine.ImagesHeld);
        await host.Engine.AnalyzeAsync(first, new AnalysisRequest { Question = "Where?" });
        var error = await Assert.ThrowsAsync<ArgumentException>(() => host.Engine.AnalyzeAsync(second, new AnalysisRequest { Question = "Where?" }));
        Assert.Contains("second.png is no longer held", error.Message);
    }

    [Fact]
    public async Task Ask_WithoutModel_ThrowsAnsweringUnavailable()
    {
        await using var host = await EngineHost.StartAsync();
        var image = await host.LoadAsync();
        var status = await host.WaitForModelAsync(ModelState.NotConfigured);

        var error = Assert.Throws<AnsweringUnavailableException>(() => { _ = host.Engine.AskAsync(image, new AskRequest { Question = "Where?" }); });

        Assert.Contains("no model configured", error.Message);
        Assert.False(status.CanAnswer);
    }

    [Fact]
    public async Task Ask_WithModel_StreamsAnalysisThenTextInOrder()
    {
        var answerer = new FakeAnswerer();
        await using var host = await EngineHost.StartAsync(new FakeModelLoader(answerer));
        await host.WaitForModelAsync(ModelState.Ready);
        var image = await host.LoadAsync();
        var updates = new ConcurrentQueue<AskUpdate>();

        var answer = await host.Engine.AskAsync(image, new AskRequest { Question = "Where?", K = 4 }, new SyncProgress<AskUpdate>(updates.Enqueue));

        Assert.Equal(new AskUpdate.Queued(1), updates.First());
        var analyzed = Assert.IsType<AskUpdate.Analyzed>(updates.SkipWhile(u => u is AskUpdate.Queued).First());
        Assert.Equal(answer.Text, string.Concat(updates.OfType<AskUpdate.Token>().Select(t => t.Text)));
        Assert.Equal((4, FakeAnswerer.Id), (answer.Prompt.ImageTokens, answer.ModelId));
        Assert.Equal(answer.Analysis!.Relevance.Kept, answer.Kept);
        Assert.Equal(answer.Kept, analyzed.Analysis.Prompt!.Cells.OfType<int>()); // the reported analysis carries the prompt
        Assert.Contains("total", answer.TimingsMs.Keys);
    }

    [Fact]
    public async Task Ask_AllTokens_GivesEveryCell()
    {
        await using var host = await EngineHost.StartAsync(new FakeModelLoader(new FakeAnswerer()));
        await host.WaitForModelAsync(ModelState.Ready);
        var image = await host.LoadAsync();

        var answer = await host.Engine.AskAsync(image, new AskRequest { Question = "Where?", AllTokens = true });

        Assert.Equal((null, 16), (answer.Kept, answer.Prompt.ImageTokens));
        Assert.Null(answer.Analysis);
    }

    [Fact]
    public async Task Ask_LongerThanTheConfiguredLimit_IsCappedAtIt()
    {
        var settings = EngineHost.SmallSettings();
        settings["Engine:MaxAnswerTokens"] = "3";
        var answerer = new FakeAnswerer();
        await using var host = await EngineHost.StartAsync(new FakeModelLoader(answerer), settings);
        await host.WaitForModelAsync(ModelState.Ready);
        var image = await host.LoadAsync();

        await host.Engine.AskAsync(image, new AskRequest { Question = "Where?", Settings = new() { MaxNewTokens = 500 } });

        Assert.Equal(3, answerer.LastRequest!.Settings.MaxNewTokens);
    }

    [Fact]
    public async Task Ask_CancelledMidAnswer_StopsTheAnswerer()
    {
        var answerer = new FakeAnswerer { Gate = new SemaphoreSlim(0) };
        await using var host = await EngineHost.StartAsync(new FakeModelLoader(answerer));
        await host.WaitForModelAsync(ModelState.Ready);
        var image = await host.LoadAsync();
        using var cancel = new CancellationTokenSource();
        var firstToken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var progress = new SyncProgress<AskUpdate>(u => { if (u is AskUpdate.Token) firstToken.TrySetResult(); });

        var asking = host.Engine.AskAsync(image, new AskRequest { Question = "Where?" }, progress, cancel.Token);
        answerer.Gate.Release();
        await firstToken.Task;
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => asking);
    }
}
