using ArrCoc.Engine.Service;
using ArrCoc.Microscope.Components.Tabs;
using ArrCoc.Microscope.State;
using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;

namespace ArrCoc.Microscope.Tests.Tabs;

/// <summary>
/// The Ask tab against the real engine (4 × 5 grid): with the real Qwen3-VL integration on the fixture checkpoint, and
/// with a fake answerer where a test needs to hold or script the stream.
/// </summary>
public class AskTabTests : MicroscopeContext
{
    static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task SampleAnalyzeAsk_StreamsTheAnswerFromTheKeptCells()
    {
        await StartEngineAsync(new FakeAnswerer());
        var cut = RenderWithProviders<AskTab>();

        await cut.InvokeAsync(() => cut.Find("[data-testid=sample-shapes]").Click());
        cut.WaitForAssertion(() => Assert.Contains("shapes.png", cut.Find("[data-testid=image-info]").TextContent), Wait);
        Assert.Contains("4 × 5 cells", cut.Find("[data-testid=image-info]").TextContent);
        await cut.InvokeAsync(() => cut.Find("[data-testid=analyze]").Click());
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-testid=view-selection]").GetAttribute("data-available")), Wait);
        Assert.Contains("K = 6", cut.Find("[data-testid=view-selection-k]").TextContent);

        await cut.InvokeAsync(() => cut.Find("[data-testid=ask]").Click());

        cut.WaitForAssertion(() => Assert.Equal("Done", cut.Find("[data-testid=answer-kept]").GetAttribute("data-phase")), Wait);
        Assert.Equal("A fake answer to \"What colour is the circle?\" from 6 image tokens.", cut.Find("[data-testid=answer-kept-text]").TextContent);
        Assert.Contains("6 image tokens", cut.Find("[data-testid=answer-kept-facts]").TextContent);
        Assert.NotNull(Services.GetRequiredService<MicroscopeState>().Positions);
    }

    [Fact]
    public async Task SampleAnalyzeAsk_FixtureModel_AnswersFromTheKeptCellsWithTheirPositions()
    {
        using var folder = new TempDirectory();
        var model = folder.File("fixture");
        ArrCoc.Qwen3VL.Fixture.Qwen3VLFixture.Write(model, new ArrCoc.Qwen3VL.Fixture.FixtureOptions { Tied = true });
        var engine = await StartEngineAsync(fixtureModel: model);
        Assert.True(engine.ModelStatus.CanAnswer, engine.ModelStatus.Detail);
        var cut = RenderWithProviders<AskTab>();

        await cut.InvokeAsync(() => cut.Find("[data-testid=sample-shapes]").Click());
        cut.WaitForAssertion(() => Assert.Contains("shapes.png", cut.Find("[data-testid=image-info]").TextContent), Wait);
        await cut.InvokeAsync(() => cut.Find("[data-testid=ask]").Click());

        cut.WaitForAssertion(() => Assert.Equal("Done", cut.Find("[data-testid=answer-kept]").GetAttribute("data-phase")), Wait);
        Assert.Contains("6 image tokens", cut.Find("[data-testid=answer-kept-facts]").TextContent);
        var state = Services.GetRequiredService<MicroscopeState>();
        Assert.Equal(model, state.Analysis!.QueryEmbeddingSource);
        Assert.Equal(state.Analysis.Relevance.Kept, state.Positions!.ImageTokens.Select(t => t.Cell!.Value));
    }

    [Fact]
    public async Task NewAnalysisAfterAnAnswer_PositionsFollowTheNewSelection()
    {
        await StartEngineAsync(new FakeAnswerer());
        var cut = RenderWithProviders<AskTab>();
        await cut.InvokeAsync(() => cut.Find("[data-testid=sample-shapes]").Click());
        cut.WaitForAssertion(() => cut.Find("[data-testid=image-info]"), Wait);
        var session = Services.GetRequiredService<MicroscopeState>();
        await cut.InvokeAsync(() => cut.Find("[data-testid=ask]").Click());
        cut.WaitForAssertion(() => Assert.Equal("Done", cut.Find("[data-testid=answer-kept]").GetAttribute("data-phase")), Wait);
        Assert.Equal(6, session.Positions!.ImageTokens.Count());

        session.K = 3;
        await cut.InvokeAsync(() => cut.Find("[data-testid=analyze]").Click());

        cut.WaitForAssertion(() => Assert.Equal(3, session.Analysis!.K), Wait);
        Assert.Equal(session.Analysis!.Relevance.Kept, session.Positions!.ImageTokens.Select(t => t.Cell!.Value));
    }

    [Fact]
    public async Task AlsoAllTokens_AnswersTwiceSideBySide()
    {
        await StartEngineAsync(new FakeAnswerer());
        var cut = RenderWithProviders<AskTab>();
        await cut.InvokeAsync(() => cut.Find("[data-testid=sample-shapes]").Click());
        cut.WaitForAssertion(() => cut.Find("[data-testid=image-info]"), Wait);

        cut.Find("[data-testid=all-tokens] input, input[data-testid=all-tokens]").Change(true);
        await cut.InvokeAsync(() => cut.Find("[data-testid=ask]").Click());

        cut.WaitForAssertion(() => Assert.Equal("Done", cut.Find("[data-testid=answer-all]").GetAttribute("data-phase")), Wait);
        Assert.EndsWith("from 20 image tokens.", cut.Find("[data-testid=answer-all-text]").TextContent);
    }

    [Fact]
    public async Task Cancel_StopsTheStreamedAnswer()
    {
        var answerer = new FakeAnswerer { Gate = new SemaphoreSlim(0) };
        await StartEngineAsync(answerer);
        var cut = RenderWithProviders<AskTab>();
        await cut.InvokeAsync(() => cut.Find("[data-testid=sample-shapes]").Click());
        cut.WaitForAssertion(() => cut.Find("[data-testid=image-info]"), Wait);

        await cut.InvokeAsync(() => cut.Find("[data-testid=ask]").Click());
        answerer.Gate.Release(2);
        cut.WaitForAssertion(() => Assert.StartsWith("A fake", cut.Find("[data-testid=answer-kept-text]").TextContent), Wait);
        await cut.InvokeAsync(() => cut.Find("[data-testid=cancel]").Click());

        cut.WaitForAssertion(() => Assert.Equal("Cancelled", cut.Find("[data-testid=answer-kept]").GetAttribute("data-phase")), Wait);
        Assert.Equal("A fake", cut.Find("[data-testid=answer-kept-text]").TextContent);
    }

    [Fact]
    public async Task NoModel_AskIsDisabledWithTheReason_AnalyzeStillWorks()
    {
        await StartEngineAsync();
        var cut = RenderWithProviders<AskTab>();

        Assert.True(cut.Find("[data-testid=ask]").HasAttribute("disabled"));
        Assert.Contains("no model configured", cut.Find("[data-testid=answering-disabled]").TextContent);
        await cut.InvokeAsync(() => cut.Find("[data-testid=sample-corner]").Click());
        cut.WaitForAssertion(() => cut.Find("[data-testid=image-info]"), Wait);
        await cut.InvokeAsync(() => cut.Find("[data-testid=analyze]").Click());
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-testid=view-selection]").GetAttribute("data-available")), Wait);
        var session = Services.GetRequiredService<MicroscopeState>();
        Assert.Null(session.Positions);
        Assert.StartsWith("no model loaded (no model configured", session.PositionsUnavailableReason);
    }

    [Theory]
    [InlineData("", 3, "The question is empty")]
    [InlineData("This question is far longer than forty characters.", 3, "the limit is 40")]
    [InlineData("Where?", 21, "K must be between 1 and 20")]
    [InlineData("Where?", 0, "K must be between 1 and 20")]
    public async Task BadInput_ShowsAMessageAndKeepsThePage(string question, int k, string message)
    {
        await StartEngineAsync();
        var cut = RenderWithProviders<AskTab>();
        await cut.InvokeAsync(() => cut.Find("[data-testid=sample-shapes]").Click());
        cut.WaitForAssertion(() => cut.Find("[data-testid=image-info]"), Wait);
        await cut.InvokeAsync(() => cut.Find("[data-testid=analyze]").Click());
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-testid=view-selection]").GetAttribute("data-available")), Wait);
        var session = Services.GetRequiredService<MicroscopeState>();
        var before = session.Analysis;

        session.Question = question;
        session.K = k;
        await cut.InvokeAsync(() => cut.Find("[data-testid=analyze]").Click());

        cut.WaitForAssertion(() => Assert.Contains(Messages, m => m.Contains(message)), Wait);
        Assert.Same(before, session.Analysis);
        Assert.Equal("true", cut.Find("[data-testid=view-selection]").GetAttribute("data-available"));
    }

    [Fact]
    public async Task FullQueue_SaysBusyPolitely_AndKeepsThePage()
    {
        var answerer = new FakeAnswerer { Gate = new SemaphoreSlim(0) };
        var engine = await StartEngineAsync(answerer, new Dictionary<string, string?>
        {
            ["ArrCoc:Grid"] = "4x5", ["ArrCoc:K"] = "6", ["ArrCoc:FallbackQueryDim"] = "64", ["Engine:QueueCapacity"] = "1",
        });
        var cut = RenderWithProviders<AskTab>();
        await cut.InvokeAsync(() => cut.Find("[data-testid=sample-shapes]").Click());
        cut.WaitForAssertion(() => cut.Find("[data-testid=image-info]"), Wait);
        var session = Services.GetRequiredService<MicroscopeState>();
        var asking = cut.InvokeAsync(() => cut.Find("[data-testid=ask]").Click());  // holds the worker (gated)
        cut.WaitForAssertion(() => Assert.Equal(AnswerPhase.Running, session.KeptAnswer.Phase), Wait);
        var waiting = engine.AnalyzeAsync(session.Image!, new Engine.Analysis.AnalysisRequest { Question = "Another user?" }); // fills the line

        await cut.InvokeAsync(() => cut.Find("[data-testid=analyze]").Click());

        cut.WaitForAssertion(() => Assert.Contains(Messages, m => m.Contains("busy") && m.Contains("try again")), Wait);
        Assert.Contains("shapes.png", cut.Find("[data-testid=image-info]").TextContent);
        answerer.Gate.Release(100);
        await asking;
        await waiting;
        cut.WaitForAssertion(() => Assert.Equal("Done", cut.Find("[data-testid=answer-kept]").GetAttribute("data-phase")), Wait);
    }

    [Fact]
    public async Task QuestionOverTheTokenLimit_ShowsAMessageAndKeepsTheAnswer()
    {
        using var folder = new TempDirectory();
        var model = folder.File("fixture");
        ArrCoc.Qwen3VL.Fixture.Qwen3VLFixture.Write(model, new ArrCoc.Qwen3VL.Fixture.FixtureOptions { Tied = true });
        await StartEngineAsync(fixtureModel: model, settings: new Dictionary<string, string?>
        {
            ["ArrCoc:Grid"] = "4x5", ["ArrCoc:K"] = "6", ["ArrCoc:MaxQuestionChars"] = "200", ["ArrCoc:MaxQuestionTokens"] = "12",
        });
        var cut = RenderWithProviders<AskTab>();
        await cut.InvokeAsync(() => cut.Find("[data-testid=sample-shapes]").Click());
        cut.WaitForAssertion(() => cut.Find("[data-testid=image-info]"), Wait);
        var session = Services.GetRequiredService<MicroscopeState>();
        session.Question = "Red?";
        await cut.InvokeAsync(() => cut.Find("[data-testid=ask]").Click());
        cut.WaitForAssertion(() => Assert.Equal("Done", cut.Find("[data-testid=answer-kept]").GetAttribute("data-phase")), Wait);
        var answer = cut.Find("[data-testid=answer-kept-text]").TextContent;

        session.Question = "Which of the shapes in this picture is the one nearest to the upper left corner, and what colour is it?";
        await cut.InvokeAsync(() => cut.Find("[data-testid=ask]").Click());

        cut.WaitForAssertion(() => Assert.Contains(Messages, m => m.Contains("tokens long; the limit is 12")), Wait);
        Assert.Equal(answer, cut.Find("[data-testid=answer-kept-text]").TextContent);
        Assert.Equal("Red?", session.Analysis!.Question);
    }

    [Fact]
    public async Task Upload_NotAnImage_ShowsWhyAndKeepsTheImage()
    {
        await StartEngineAsync();
        var cut = RenderWithProviders<AskTab>();
        await cut.InvokeAsync(() => cut.Find("[data-testid=sample-shapes]").Click());
        cut.WaitForAssertion(() => cut.Find("[data-testid=image-info]"), Wait);

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("not an image", "notes.txt"));

        cut.WaitForAssertion(() => Assert.Contains(Messages, m => m.StartsWith("notes.txt: not a supported image")), Wait);
        Assert.Contains("shapes.png", cut.Find("[data-testid=image-info]").TextContent);
    }

    [Fact]
    public async Task Upload_TooLarge_RefusedBeforeReading()
    {
        await StartEngineAsync(settings: new() { ["ArrCoc:Grid"] = "4x5", ["ArrCoc:FallbackQueryDim"] = "64", ["ImageLimits:MaxFileBytes"] = "1000" });
        var cut = RenderWithProviders<AskTab>();

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(new byte[5000], "big.png"));

        cut.WaitForAssertion(() => Assert.Contains(Messages, m => m.Contains("big.png: the file is") && m.Contains("the limit is")), Wait);
        Assert.Empty(cut.FindAll("[data-testid=image-info]"));
    }

    [Fact]
    public async Task SessionClosing_CancelsItsRunningAnswer()
    {
        var answerer = new FakeAnswerer { Gate = new SemaphoreSlim(0) };
        var engine = await StartEngineAsync(answerer);
        var session = Services.GetRequiredService<MicroscopeState>();
        await session.LoadSampleAsync("shapes");
        var asking = session.AskAsync();
        for (int i = 0; i < 6000 && session.KeptAnswer.Phase != AnswerPhase.Running; i++) await Task.Delay(10);
        Assert.Equal(AnswerPhase.Running, session.KeptAnswer.Phase);

        session.Dispose();
        await asking;

        Assert.Equal(AnswerPhase.Cancelled, session.KeptAnswer.Phase);
        Assert.Equal(0, engine.Waiting);
    }
}
