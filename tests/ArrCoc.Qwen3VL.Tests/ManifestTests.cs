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

    /// <summary>
    /// The 4B and 8B checkpoints' config.json (official schema; values from the facts sheet §1.2, 4B in the shipped
    /// rope_scaling spelling, 8B in transformers v5's rope_parameters) parse and build with the facts sheet's
    /// parameter counts — 4B: q_proj 4096 wide on a 2560 model, tied head; 8B: untied head, 750 tensors.
    /// </summary>
    [Theory]
    [InlineData("qwen3-vl-4b-config.json", 2560, 4096, true, 4_437_815_808L, 713)]
    [InlineData("qwen3-vl-8b-config.json", 4096, 4096, false, 8_767_123_696L, 750)]
    public void LargerCheckpoints_ConfigParses_AndBuildsWithTheOfficialSizes(string file, int hidden, int qWidth, bool tied, long parameters, int tensors)
    {
        var config = Qwen3VLConfig.Parse(File.ReadAllText(TestPaths.DataFile(file)), file);
        Assert.Equal(hidden, config.TextConfig.HiddenSize);
        Assert.Equal(tied, config.TieWordEmbeddings);

        using var model = Qwen3VLForConditionalGeneration.Create(config, META);
        var keys = model.CheckpointParameters();
        Assert.Equal([qWidth, hidden], keys["model.language_model.layers.0.self_attn.q_proj.weight"].shape);
        Assert.Equal([hidden, qWidth], keys["model.language_model.layers.0.self_attn.o_proj.weight"].shape);
        Assert.Equal(!tied, keys.ContainsKey("lm_head.weight"));
        Assert.Equal(parameters, keys.Values.Sum(p => p.NumberOfElements));
        Assert.Equal(tensors, keys.Count);
    }
}
