using ArrCoc.Qwen3VL.Config;
using TorchSharp;
using static TorchSharp.torch;

namespace ArrCoc.Qwen3VL.Tests;

/// <summary>The 2B model's parameter names and shapes, built on the meta device (nothing allocated), against the facts sheet.</summary>
public sealed class ManifestTests
{
    [Fact]
    public void Qwen3VL2B_OnMetaDevice_MatchesOfficialKeyAndShapeList()
    {
        var golden = File.ReadAllLines(TestPaths.DataFile("qwen3-vl-2b-manifest.txt")).Where(l => !l.StartsWith('#')).ToList();
        using var model = Qwen3VLForConditionalGeneration.Create(Qwen3VLConfig.Qwen3VL2B(), META);
        var actual = model.CheckpointParameters()
            .Select(p => $"{p.Key} [{string.Join(", ", p.Value.shape)}]")
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(golden, actual);
        Assert.Equal(2_127_532_032L, model.CheckpointParameters().Values.Sum(p => p.NumberOfElements));
        Assert.All(model.parameters(), p => Assert.Equal(DeviceType.META, p.device_type));
    }

    [Fact]
    public void Qwen3VL2B_Buffers_AreNotCheckpointKeys()
    {
        using var model = Qwen3VLForConditionalGeneration.Create(Qwen3VLConfig.Qwen3VL2B(), META);
        // Rotary tables are derived, not stored: the state dict is exactly the parameters.
        Assert.Equal(model.CheckpointParameters().Keys.Order(), model.state_dict().Keys.Order());
    }
}
