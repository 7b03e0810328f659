using ArrCoc.Engine.Analysis;
using ArrCoc.Engine.Integration;
using ArrCoc.Engine.Service;
using ArrCoc.Qwen3VL.Fixture;
using Microsoft.Extensions.DependencyInjection;
using SixLabors.ImageSharp.PixelFormats;

namespace ArrCoc.Engine.Tests.Service;

/// <summary>The engine service with the real Qwen3-VL integration on the fixture checkpoint (Engine:Model = its folder).</summary>
public sealed class QwenServiceTests : IAsyncLifetime
{
    readonly TempDirectory _temp = new();
    EngineHost _host = default!;
    string _model = "";

    public async Task InitializeAsync()
    {
        _model = _temp.File("fixture");
        Qwen3VLFixture.Write(_model, new FixtureOptions { Tied = true });
        var settings = EngineHost.SmallSettings();
        settings["Engine:Model"] = _model;
        settings["Engine:MaxAnswerTokens"] = "6";
        _host = await EngineHost.StartAsync(settings: settings, configure: services =>
        {
            services.AddOptions<Hub.HubOptions>();
            services.AddSingleton<IModelLoader, QwenModelLoader>();
        });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task Ready_UsesTheModelsQueryEmbedding()
    {
        var status = await _host.WaitForModelAsync(ModelState.Ready);
        Assert.Equal(_model, status.ModelId);
        Assert.Equal(_model, status.QueryEmbedding);
        var image = await _host.LoadAsync();
        var analysis = await _host.Engine.AnalyzeAsync(image, new AnalysisRequest { Question = "What colour?" });
        Assert.Equal(_model, analysis.QueryEmbeddingSource);
        Assert.Equal(Qwen3VLFixture.DefaultConfig(true).TextConfig.HiddenSize, analysis.QueryVector.Length);
    }

    [Fact]
    public async Task Ask_KeptTokens_StreamsAndReportsThePositionTable()
    {
        await _host.WaitForModelAsync(ModelState.Ready);
        var image = await _host.LoadAsync();
        var pieces = new List<string>();
        var progress = new SyncProgressCollector(update => { if (update is AskUpdate.Token t) pieces.Add(t.Text); });
        var kept = await _host.Engine.AskAsync(image, new AskRequest { Question = "What colour is it?" }, progress);
        Assert.Equal(5, kept.Prompt.ImageTokens);
        Assert.InRange(kept.GeneratedTokens, 1, 6);
        Assert.Equal(string.Concat(pieces), kept.Text);
        var table = PositionTable.From(kept.Analysis!.Prompt!, 4, 4);
        Assert.Equal(kept.Analysis.Relevance.Kept, table.ImageTokens.Select(t => t.Cell!.Value));
        Assert.Equal(kept.Prompt.Positions, kept.Analysis.Prompt!.Positions); // the analysis's table is the prompt that ran
        var first = table.ImageTokens.First();
        Assert.Equal(first.T + first.Cell!.Value / 4, first.H);
        Assert.Equal(first.T + first.Cell.Value % 4, first.W);

        var all = await _host.Engine.AskAsync(image, new AskRequest { Question = "What colour is it?", AllTokens = true });
        Assert.Equal(16, all.Prompt.ImageTokens);
        // Every cell, kept or not, is placed by the pruned table where the full prompt has it.
        Assert.All(PositionTable.From(all.Prompt, 4, 4).ImageTokens, t => Assert.Equal((t.T, t.H, t.W), table.FullPromptPosition(t.Cell!.Value)));
        Assert.Equal(all.PromptTokensUsed, kept.FullPromptTokens);
        Assert.Equal(all.PromptTokensUsed - 16 + 5, kept.PromptTokensUsed);

        var analysis = await _host.Engine.AnalyzeAsync(image, new AnalysisRequest { Question = "What colour is it?", K = 3 });
        Assert.Equal(analysis.Relevance.Kept, analysis.Prompt!.Cells.OfType<int>()); // a new analysis, its own prompt table
    }

    sealed class SyncProgressCollector(Action<AskUpdate> report) : IProgress<AskUpdate>
    {
        public void Report(AskUpdate value) => report(value);
    }
}
