using System.Collections.Concurrent;
using ArrCoc.Engine.Service;

namespace ArrCoc.Engine.Tests.Service;

public class ModelHostTests
{
    [Fact]
    public async Task NoModelConfigured_IsNotConfiguredWithReason()
    {
        await using var host = await EngineHost.StartAsync();

        var status = await host.WaitForModelAsync(ModelState.NotConfigured);

        Assert.Contains("Engine:Model", status.Detail);
        Assert.Equal(("untrained (seed 0)", 5, "fallback"), (status.Checkpoint, status.K, status.QueryEmbedding));
        Assert.NotNull(status.AnsweringDisabledReason);
    }

    [Theory]
    [InlineData("cpu", null, "float32")]
    [InlineData("cuda", null, "bfloat16")]
    [InlineData("cuda", "", "bfloat16")]
    [InlineData("cuda", "float32", "float32")]
    public void Dtype_NotGiven_IsTheDevicesDefault(string device, string? dtype, string expected)
    {
        var engine = Microsoft.Extensions.Options.Options.Create(new EngineOptions { Device = device, Dtype = dtype });
        using var host = new ModelHost(new NoModelLoader(engine), engine, Microsoft.Extensions.Options.Options.Create(new ArrCocOptions()),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<ModelHost>.Instance);

        Assert.Equal(expected, host.Status.Dtype);
        Assert.Equal(expected, Integration.ModelDevice.DtypeName(device, dtype));
    }

    [Fact]
    public async Task ModelConfiguredButNoLoader_FailsWithReason()
    {
        var settings = EngineHost.SmallSettings();
        settings["Engine:Model"] = "Qwen/Qwen3-VL-2B-Instruct";
        await using var host = await EngineHost.StartAsync(settings: settings);

        var status = await host.WaitForModelAsync(ModelState.Failed);

        Assert.Equal("Qwen/Qwen3-VL-2B-Instruct", status.ModelId);
        Assert.Contains("no Qwen3-VL loader", status.Detail);
        Assert.StartsWith("the model failed to load", status.AnsweringDisabledReason);
    }

    [Fact]
    public async Task Loader_ReportsDownloadThenReady_SubscribersHearEachStep()
    {
        var loaderGate = new TaskCompletionSource();
        var heard = new ConcurrentQueue<ModelStatus>();
        await using var host = await EngineHost.StartAsync(new GatedLoader(loaderGate.Task, new FakeModelLoader(new FakeAnswerer())));
        using var subscription = host.Model.Subscribe(heard.Enqueue);

        loaderGate.SetResult();
        var ready = await host.WaitForModelAsync(ModelState.Ready);

        Assert.Equal([ModelState.Downloading, ModelState.Loading, ModelState.Ready], heard.Select(s => s.State));
        Assert.Equal(0.5, heard.First().Fraction);
        Assert.Equal(FakeAnswerer.Id, ready.ModelId);
        Assert.True(ready.CanAnswer);
    }

    [Fact]
    public async Task Loader_Throws_FailedWithItsMessage()
    {
        await using var host = await EngineHost.StartAsync(new FakeModelLoader(null, "config.json: hidden_size missing"));

        var status = await host.WaitForModelAsync(ModelState.Failed);

        Assert.Equal("config.json: hidden_size missing", status.Detail);
    }

    [Fact]
    public async Task Stop_DisposesTheAnswerer()
    {
        var answerer = new FakeAnswerer();
        var host = await EngineHost.StartAsync(new FakeModelLoader(answerer));
        await host.WaitForModelAsync(ModelState.Ready);

        await host.DisposeAsync();

        Assert.True(answerer.Disposed);
    }

    sealed class GatedLoader(Task gate, IModelLoader inner) : IModelLoader
    {
        public async Task<IAnswerer?> LoadAsync(IProgress<ModelLoadReport> progress, CancellationToken cancellationToken)
        {
            await gate;
            return await inner.LoadAsync(progress, cancellationToken);
        }
    }
}
