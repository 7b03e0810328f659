using System.Text.Json.Nodes;
using ArrCoc.Qwen3VL.Config;

namespace ArrCoc.Qwen3VL.Tests;

/// <summary>config.json parsing: both rope spellings, tie at either level, clear errors naming the field.</summary>
public sealed class ConfigTests
{
    static JsonObject Official() => Qwen3VLConfig.Qwen3VL2B().ToJson();

    static Qwen3VLConfig Parse(JsonNode json) => Qwen3VLConfig.Parse(json.ToJsonString());

    [Fact]
    public void Parse_RopeScalingSpelling_ReadsOfficialValues()
    {
        var c = Parse(Official());
        Assert.Equal(5_000_000, c.TextConfig.RopeTheta);
        Assert.Equal([24, 20, 20], c.TextConfig.MropeSection);
        Assert.True(c.TieWordEmbeddings);
        Assert.Equal([5, 11, 17], c.VisionConfig.DeepstackVisualIndexes);
        Assert.Equal(151655, c.ImageTokenId);
        Assert.Equal(48, c.VisionConfig.NumGridPerSide);
    }

    [Fact]
    public void Parse_RopeParametersSpelling_GivesSameConfig()
    {
        var v5 = Parse(Qwen3VLConfig.Qwen3VL2B().ToJson(ropeParametersSpelling: true));
        var v4 = Parse(Official());
        Assert.Equal(v4.TextConfig.RopeTheta, v5.TextConfig.RopeTheta);
        Assert.Equal(v4.TextConfig.MropeSection, v5.TextConfig.MropeSection);
    }

    [Fact]
    public void Parse_TieOnlyInTextConfig_IsRead()
    {
        var json = Official();
        json.Remove("tie_word_embeddings");
        json["text_config"]!["tie_word_embeddings"] = false;
        Assert.False(Parse(json).TieWordEmbeddings);
    }

    [Fact]
    public void Parse_TieContradicts_NamesBothFields()
    {
        var json = Official();
        json["text_config"]!["tie_word_embeddings"] = false;
        var e = Assert.Throws<InvalidDataException>(() => Parse(json));
        Assert.Contains("tie_word_embeddings is true but text_config.tie_word_embeddings is false", e.Message);
    }

    [Theory]
    [InlineData("text_config", "hidden_size", "config.json: text_config.hidden_size is missing")]
    [InlineData("vision_config", "deepstack_visual_indexes", "config.json: vision_config.deepstack_visual_indexes is missing")]
    [InlineData("", "image_token_id", "config.json: image_token_id is missing")]
    public void Parse_MissingField_NamesIt(string section, string field, string message)
    {
        var json = Official();
        (section.Length == 0 ? json : json[section]!.AsObject()).Remove(field);
        var e = Assert.Throws<InvalidDataException>(() => Parse(json));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Parse_NoRopeSettings_NamesRopeScaling()
    {
        var json = Official();
        json["text_config"]!.AsObject().Remove("rope_scaling");
        var e = Assert.Throws<InvalidDataException>(() => Parse(json));
        Assert.Contains("text_config.rope_scaling is missing", e.Message);
    }

    [Fact]
    public void Parse_MropeSectionNotHalfHeadDim_Rejected()
    {
        var json = Official();
        json["text_config"]!["rope_scaling"]!["mrope_section"] = new JsonArray(20, 20, 20);
        var e = Assert.Throws<InvalidDataException>(() => Parse(json));
        Assert.Contains("text_config.rope_scaling.mrope_section must be three non-negative integers summing to head_dim / 2 = 64", e.Message);
    }

    [Fact]
    public void Parse_OutHiddenSizeDiffersFromTextHidden_Rejected()
    {
        var json = Official();
        json["vision_config"]!["out_hidden_size"] = 1024;
        var e = Assert.Throws<InvalidDataException>(() => Parse(json));
        Assert.Contains("vision_config.out_hidden_size is 1024 but text_config.hidden_size is 2048", e.Message);
    }

    [Fact]
    public void Parse_WrongModelType_Rejected()
    {
        var json = Official();
        json["model_type"] = "qwen2_5_vl";
        Assert.Contains("model_type is \"qwen2_5_vl\"", Assert.Throws<InvalidDataException>(() => Parse(json)).Message);
    }

    [Fact]
    public void Parse_WrongFieldType_SaysWhatWasFound()
    {
        var json = Official();
        json["text_config"]!["num_hidden_layers"] = "28";
        Assert.Contains("text_config.num_hidden_layers must be an integer", Assert.Throws<InvalidDataException>(() => Parse(json)).Message);
    }

    [Fact]
    public void GenerationConfig_EosScalarOrList_BothRead()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File(GenerationConfig.FileName), "{\"eos_token_id\": 7, \"top_k\": 20, \"do_sample\": true, \"temperature\": 0.7}");
        var g = GenerationConfig.Load(dir.Path);
        Assert.Equal([7L], g.EosTokenIds);
        Assert.Equal(20, g.TopK);
        Assert.True(g.DoSample);
        File.WriteAllText(dir.File(GenerationConfig.FileName), "{\"eos_token_id\": [151645, 151643]}");
        Assert.Equal([151645L, 151643], GenerationConfig.Load(dir.Path).EosTokenIds);
    }

    [Fact]
    public void PreprocessorConfig_SizeMeansPixelCounts()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File(PreprocessorConfig.FileName), PreprocessorConfig.Qwen3VL().ToJson().ToJsonString());
        var p = PreprocessorConfig.Load(dir.Path);
        Assert.Equal(65536, p.MinPixels);
        Assert.Equal(16777216, p.MaxPixels);
        Assert.Equal([0.5, 0.5, 0.5], p.ImageMean);
    }
}
