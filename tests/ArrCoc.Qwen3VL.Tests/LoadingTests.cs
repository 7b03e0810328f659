using System.Text.Json.Nodes;
using ArrCoc.Qwen3VL.Config;
using ArrCoc.Qwen3VL.Fixture;
using ArrCoc.Qwen3VL.Safetensors;
using static TorchSharp.torch;

namespace ArrCoc.Qwen3VL.Tests;

/// <summary>Checkpoint variants load strictly; every mismatch is listed by name.</summary>
[Collection(FixtureCollection.Name)]
public sealed class LoadingTests(FixtureCheckpoints fixtures)
{
    [Fact]
    public void FromPretrained_Tied_HasNoLmHeadAndUsesEmbeddings()
    {
        using var model = Qwen3VLForConditionalGeneration.FromPretrained(fixtures.Tied);
        var keys = model.CheckpointParameters().Keys.ToList();
        Assert.DoesNotContain("lm_head.weight", keys);
        Assert.Same(model.Model.LanguageModel.EmbedWeight, model.LmHeadWeight);
        using var file = SafetensorsFile.Open(Path.Combine(fixtures.Tied, CheckpointLoader.SingleFile));
        Assert.Equal(file.Tensors.Keys.Order(), keys.Order());
    }

    [Fact]
    public void FromPretrained_Untied_LoadsItsOwnHead()
    {
        using var model = Qwen3VLForConditionalGeneration.FromPretrained(fixtures.Untied);
        Assert.Contains("lm_head.weight", model.CheckpointParameters().Keys);
        Assert.False(model.LmHeadWeight.Identical(model.Model.LanguageModel.EmbedWeight));
    }

    [Fact]
    public void FromPretrained_ShardedAndSingle_SameSeedSameWeights()
    {
        using var single = Qwen3VLForConditionalGeneration.FromPretrained(fixtures.Untied);
        using var sharded = Qwen3VLForConditionalGeneration.FromPretrained(fixtures.Sharded);
        Assert.True(File.Exists(Path.Combine(fixtures.Sharded, CheckpointLoader.IndexFile)));
        var a = single.CheckpointParameters();
        foreach (var (name, p) in sharded.CheckpointParameters()) Assert.True(p.Identical(a[name]), name);
    }

    [Fact]
    public void FromPretrained_Bf16Stored_UpcastsExactlyToFloat32()
    {
        using var model = Qwen3VLForConditionalGeneration.FromPretrained(fixtures.Tied);
        using var file = SafetensorsFile.Open(Path.Combine(fixtures.Tied, CheckpointLoader.SingleFile));
        const string name = "model.visual.blocks.0.attn.qkv.weight";
        Assert.Equal(SafetensorsDtype.BF16, file.Tensors[name].Dtype);
        var p = model.CheckpointParameters()[name];
        Assert.Equal(ScalarType.Float32, p.dtype);
        using var roundTrip = p.to(ScalarType.BFloat16).to(ScalarType.Float32);
        Assert.True(roundTrip.Identical(p));
    }

    [Fact]
    public void Fixture_SameSeedTwice_ByteIdenticalFiles()
    {
        using var dir = new TempDirectory();
        Qwen3VLFixture.Write(dir.Path, new FixtureOptions { Tied = true });
        foreach (var f in Directory.GetFiles(fixtures.Tied))
            Assert.Equal(File.ReadAllBytes(f), File.ReadAllBytes(Path.Combine(dir.Path, Path.GetFileName(f))));
    }

    [Fact]
    public void Load_MissingAndUnexpectedKeys_ListedByName()
    {
        using var copy = fixtures.CopyOf(fixtures.Untied);
        var path = Path.Combine(copy.Path, CheckpointLoader.SingleFile);
        List<(string, SafetensorsDtype, long[], ReadOnlyMemory<byte>)> tensors;
        using (var file = SafetensorsFile.Open(path))
            tensors = file.Tensors.Values.OrderBy(e => e.Begin)
                .Where(e => e.Name != "model.language_model.norm.weight")
                .Select(e => (e.Name == "lm_head.weight" ? "model.lm_head.weight" : e.Name, e.Dtype, e.Shape, (ReadOnlyMemory<byte>)ReadBytes(file, e)))
                .ToList();
        File.Delete(path);
        SafetensorsFile.Write(path, tensors);
        var e = Assert.Throws<InvalidDataException>(() => Qwen3VLForConditionalGeneration.FromPretrained(copy.Path).Dispose());
        Assert.Contains("2 missing key(s): lm_head.weight, model.language_model.norm.weight", e.Message);
        Assert.Contains("1 unexpected key(s): model.lm_head.weight", e.Message);
    }

    [Fact]
    public void Load_ShapeMismatch_GivesBothShapes()
    {
        using var copy = fixtures.CopyOf(fixtures.Tied);
        var configPath = Path.Combine(copy.Path, Qwen3VLConfig.FileName);
        var json = JsonNode.Parse(File.ReadAllText(configPath))!;
        json["text_config"]!["intermediate_size"] = 48;
        File.WriteAllText(configPath, json.ToJsonString());
        var e = Assert.Throws<InvalidDataException>(() => Qwen3VLForConditionalGeneration.FromPretrained(copy.Path).Dispose());
        Assert.Contains("model.language_model.layers.0.mlp.down_proj.weight: checkpoint [32, 64] vs model [32, 48]", e.Message);
    }

    [Fact]
    public void Load_IndexPointsAtWrongShard_Reported()
    {
        using var copy = fixtures.CopyOf(fixtures.Sharded);
        var indexPath = Path.Combine(copy.Path, CheckpointLoader.IndexFile);
        var json = JsonNode.Parse(File.ReadAllText(indexPath))!;
        json["weight_map"]!["model.language_model.norm.weight"] = "model-00002-of-00002.safetensors";
        File.WriteAllText(indexPath, json.ToJsonString());
        var e = Assert.Throws<InvalidDataException>(() => Qwen3VLForConditionalGeneration.FromPretrained(copy.Path).Dispose());
        Assert.Contains("\"model.language_model.norm.weight\" is in model-00001-of-00002.safetensors but the index maps it to model-00002-of-00002.safetensors", e.Message);
    }

    [Fact]
    public void Load_NoWeights_NamesBothFileNames()
    {
        using var copy = fixtures.CopyOf(fixtures.Tied);
        File.Delete(Path.Combine(copy.Path, CheckpointLoader.SingleFile));
        var e = Assert.Throws<FileNotFoundException>(() => Qwen3VLForConditionalGeneration.FromPretrained(copy.Path).Dispose());
        Assert.Contains("neither model.safetensors nor model.safetensors.index.json", e.Message);
    }

    static byte[] ReadBytes(SafetensorsFile file, SafetensorsEntry e)
    {
        using var t = file.Read(e.Name);
        return SafetensorsFile.TensorBytes(t);
    }
}
