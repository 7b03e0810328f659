using System.Buffers.Binary;
using System.Text;
using ArrCoc.Core.Checkpoints;
using static TorchSharp.torch;

namespace ArrCoc.Core.Tests;

public class CheckpointTests
{
    [Fact]
    public void SaveLoad_RoundTrip_BitExact()
    {
        using var dir = new TempDirectory();
        var model = new ArrCocModel(queryDim: 24, seed: 11);
        ArrCocCheckpoint.Save(model, dir.File("w.safetensors"));
        var loaded = ArrCocCheckpoint.Load(dir.File("w.safetensors"), queryDim: 24);
        var original = model.state_dict();
        var restored = loaded.state_dict();
        Assert.Equal(original.Keys.Order(), restored.Keys.Order());
        foreach (var (key, value) in original)
            Assert.True(TensorAssert.Identical(value, restored[key]), key);
    }

    [Fact]
    public void Seed_SameSeedSameWeights_OtherSeedOtherWeights()
    {
        var a = new ArrCocModel(queryDim: 8, seed: 5).state_dict();
        var b = new ArrCocModel(queryDim: 8, seed: 5).state_dict();
        var c = new ArrCocModel(queryDim: 8, seed: 6).state_dict();
        Assert.All(a, kv => Assert.True(TensorAssert.Identical(kv.Value, b[kv.Key])));
        Assert.False(TensorAssert.Identical(a["balancer.weight_predictor.0.weight"], c["balancer.weight_predictor.0.weight"]));
    }

    [Fact]
    public void StateDictKeys_AreTheSeedKeysWithTheirShapes()
    {
        var model = new ArrCocModel(queryDim: 2048, seed: 0);
        var actual = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape);
        var expected = new Dictionary<string, long[]>
        {
            ["participatory_scorer.texture_proj.0.weight"] = [64, 13, 1, 1],
            ["participatory_scorer.texture_proj.0.bias"] = [64],
            ["participatory_scorer.texture_proj.2.weight"] = [2048, 64, 1, 1],
            ["participatory_scorer.texture_proj.2.bias"] = [2048],
            ["balancer.weight_predictor.0.weight"] = [128, 2057],
            ["balancer.weight_predictor.0.bias"] = [128],
            ["balancer.weight_predictor.2.weight"] = [128, 128],
            ["balancer.weight_predictor.2.bias"] = [128],
            ["balancer.weight_predictor.4.weight"] = [3, 128],
            ["balancer.weight_predictor.4.bias"] = [3],
        };
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (key, shape) in expected) Assert.Equal(shape, actual[key]);
    }

    [Fact]
    public void Load_HandWrittenSeedFile_Bf16AndF32Tensors()
    {
        // A file as the seed's trainer would write it (safetensors of the ARR-COC state dict), written here
        // byte by byte: one tensor in BF16, the rest in F32.
        using var dir = new TempDirectory();
        const int d = 4;
        var tensors = ArrCocModel.ExpectedShapes(d).ToDictionary(kv => kv.Key, kv => full(kv.Value, 0.5f));
        var path = dir.File("seed.safetensors");
        WriteRaw(path, tensors, bf16Key: "balancer.weight_predictor.4.bias");
        var model = ArrCocCheckpoint.Load(path, d);
        Assert.All(model.state_dict().Values, t => Assert.Equal(0.5f, t.max().item<float>()));
        Assert.All(model.state_dict().Values, t => Assert.Equal(0.5f, t.min().item<float>()));
    }

    [Fact]
    public void Load_QueryDimensionMismatch_NamesTheTensorAndBothD()
    {
        using var dir = new TempDirectory();
        ArrCocCheckpoint.Save(new ArrCocModel(queryDim: 16, seed: 1), dir.File("w.safetensors"));
        var error = Assert.Throws<InvalidDataException>(() => ArrCocCheckpoint.Load(dir.File("w.safetensors"), queryDim: 32));
        Assert.Contains("participatory_scorer.texture_proj.2", error.Message);
        Assert.Contains("checkpoint D = 16, model D = 32", error.Message);
    }

    [Fact]
    public void Load_MissingAndUnexpectedKeys_Listed()
    {
        using var dir = new TempDirectory();
        var tensors = ArrCocModel.ExpectedShapes(4).ToDictionary(kv => kv.Key, kv => zeros(kv.Value));
        tensors.Remove("balancer.weight_predictor.2.bias");
        tensors["balancer.extra"] = zeros(2);
        Safetensors.Write(dir.File("w.safetensors"), tensors);
        var error = Assert.Throws<InvalidDataException>(() => ArrCocCheckpoint.Load(dir.File("w.safetensors"), 4));
        Assert.Contains("missing balancer.weight_predictor.2.bias", error.Message);
        Assert.Contains("unexpected balancer.extra", error.Message);
    }

    [Fact]
    public void Read_MissingFile_FileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => Safetensors.Read("/nonexistent/arrcoc.safetensors"));
    }

    [Theory]
    [InlineData("empty", "shorter than the 8-byte header length")]
    [InlineData("huge-header", "header length")]
    [InlineData("bad-json", "not valid JSON")]
    [InlineData("truncated", "outside the")]
    [InlineData("unknown-dtype", "dtype I8")]
    [InlineData("overlap", "overlap")]
    [InlineData("wrong-size", "needs 16")]
    [InlineData("size-overflow", "overflows")]
    public void Read_MalformedFiles_ClearErrors(string kind, string expected)
    {
        using var dir = new TempDirectory();
        var path = dir.File(kind + ".safetensors");
        File.WriteAllBytes(path, Malformed(kind));
        var error = Assert.Throws<InvalidDataException>(() => Safetensors.Read(path));
        Assert.Contains(kind + ".safetensors", error.Message);
        Assert.Contains(expected, error.Message);
    }

    static byte[] Malformed(string kind)
    {
        static byte[] File(string header, int dataBytes)
        {
            var json = Encoding.UTF8.GetBytes(header);
            var bytes = new byte[8 + json.Length + dataBytes];
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
            json.CopyTo(bytes, 8);
            return bytes;
        }
        return kind switch
        {
            "empty" => [],
            "huge-header" => [0xff, 0xff, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'}'],
            "bad-json" => File("{\"a\": [", 0),
            "truncated" => File("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8),
            "unknown-dtype" => File("{\"a\":{\"dtype\":\"I8\",\"shape\":[4],\"data_offsets\":[0,4]}}", 4),
            "overlap" => File("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12),
            "wrong-size" => File("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,8]}}", 8),
            // 2^62 elements × 4 bytes wraps to 0 in 64 bits: must not pass as an empty tensor.
            "size-overflow" => File("{\"a\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904],\"data_offsets\":[0,0]}}", 0),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    static void WriteRaw(string path, Dictionary<string, Tensor> tensors, string bf16Key)
    {
        var header = new StringBuilder("{");
        var data = new List<byte>();
        foreach (var (name, t) in tensors)
        {
            var values = t.data<float>().ToArray();
            var bytes = name == bf16Key
                ? values.SelectMany(v => BitConverter.GetBytes((ushort)(BitConverter.SingleToInt32Bits(v) >> 16))).ToArray()
                : values.SelectMany(BitConverter.GetBytes).ToArray();
            if (header.Length > 1) header.Append(',');
            header.Append($"\"{name}\":{{\"dtype\":\"{(name == bf16Key ? "BF16" : "F32")}\",\"shape\":[{string.Join(",", t.shape)}],\"data_offsets\":[{data.Count},{data.Count + bytes.Length}]}}");
            data.AddRange(bytes);
        }
        header.Append('}');
        var json = Encoding.UTF8.GetBytes(header.ToString());
        var file = new byte[8 + json.Length + data.Count];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        data.CopyTo(file, 8 + json.Length);
        System.IO.File.WriteAllBytes(path, file);
    }
}
