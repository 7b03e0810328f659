using System.Text;
using ArrCoc.Qwen3VL.Safetensors;
using static TorchSharp.torch;

namespace ArrCoc.Qwen3VL.Tests;

/// <summary>The safetensors reader: round trips, dtype conversion, and one clear error per malformed-file class.</summary>
public sealed class SafetensorsTests
{
    static byte[] File(string header, int dataBytes, int? declaredLength = null)
    {
        var h = Encoding.UTF8.GetBytes(header);
        var result = new byte[8 + h.Length + dataBytes];
        BitConverter.GetBytes((ulong)(declaredLength ?? h.Length)).CopyTo(result, 0);
        h.CopyTo(result, 8);
        for (var i = 0; i < dataBytes; i++) result[8 + h.Length + i] = (byte)i;
        return result;
    }

    static string OpenError(byte[] bytes)
    {
        using var dir = new TempDirectory();
        var path = dir.File("bad.safetensors");
        System.IO.File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path).Dispose());
        Assert.Contains(path, e.Message);
        return e.Message;
    }

    [Fact]
    public void Open_TooShortForLength_SaysTruncated() =>
        Assert.Contains("truncated", OpenError([1, 2, 3]));

    [Fact]
    public void Open_HeaderLengthLargerThanFile_SaysSo() =>
        Assert.Contains("header length 1000 is larger than the file", OpenError(File("{}", 0, declaredLength: 1000)));

    [Fact]
    public void Open_HeaderNotJson_SaysSo() =>
        Assert.Contains("not valid JSON", OpenError(File("{\"a\": [", 0)));

    [Fact]
    public void Open_UnknownDtype_NamesTensorAndDtype() =>
        Assert.Contains("tensor \"w\" has unknown dtype \"Q7\"", OpenError(File("{\"w\":{\"dtype\":\"Q7\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2)));

    [Fact]
    public void Open_OffsetsPastEnd_SaysTruncatedOrLying() =>
        Assert.Contains("run past the end of the data (8 bytes)", OpenError(File("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8)));

    [Fact]
    public void Open_OverlappingTensors_NamesTheSecond() =>
        Assert.Contains("tensor \"b\" data_offsets [4, 12] overlap", OpenError(File(
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12)));

    [Fact]
    public void Open_ShapeDisagreesWithOffsets_GivesBothSizes() =>
        Assert.Contains("F32 [3] = 12 bytes but its data_offsets [0, 8] span 8", OpenError(File("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8)));

    [Fact]
    public void Open_ShapeTimesElementSizeOverflows_SaysSo() => // 2^62 × 4 bytes wraps to 0 in 64 bits
        Assert.Contains("shape [4611686018427387904] overflows", OpenError(File("{\"w\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904],\"data_offsets\":[0,0]}}", 0)));

    [Fact]
    public void Open_BytesAfterLastTensor_Rejected() =>
        Assert.Contains("describes 8 data bytes but the file holds 12", OpenError(File("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 12)));

    [Fact]
    public void Open_HoleBetweenTensors_Rejected() =>
        Assert.Contains("leaves a hole", OpenError(File(
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", 12)));

    [Fact]
    public void Open_DuplicateKey_Rejected() =>
        Assert.Contains("appears twice", OpenError(File(
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8)));

    [Fact]
    public void Open_NegativeShape_Rejected() =>
        Assert.Contains("invalid shape", OpenError(File("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,0]}}", 0)));

    [Fact]
    public void Open_TruncatedRealFile_FailsOnOffsets()
    {
        using var dir = new TempDirectory();
        var path = dir.File("w.safetensors");
        using var t = arange(0, 100, ScalarType.Float32);
        SafetensorsFile.Write(path, [("w", SafetensorsDtype.F32, [100], SafetensorsFile.TensorBytes(t))]);
        var bytes = System.IO.File.ReadAllBytes(path);
        Assert.Contains("run past the end", OpenError(bytes[..^10]));
    }

    [Fact]
    public void Open_Missing_IsFileNotFound() =>
        Assert.Throws<FileNotFoundException>(() => SafetensorsFile.Open("/nonexistent/x.safetensors"));

    [Theory]
    [InlineData(SafetensorsDtype.F32)]
    [InlineData(SafetensorsDtype.BF16)]
    [InlineData(SafetensorsDtype.F16)]
    public void CopyTo_StoredDtype_ConvertsToFloat32LikeTorch(SafetensorsDtype stored)
    {
        using var dir = new TempDirectory();
        var path = dir.File("w.safetensors");
        using var values = randn(3, 5, generator: new Generator(3));
        using var storedTensor = values.to(stored.ToScalarType());
        SafetensorsFile.Write(path, [("w", stored, [3, 5], SafetensorsFile.TensorBytes(storedTensor)), ("meta.x", SafetensorsDtype.I64, [1], new byte[8])]);
        using var file = SafetensorsFile.Open(path);
        Assert.Equal("pt", file.Metadata["format"]);
        using var read = file.Read("w", ScalarType.Float32);
        using var expected = storedTensor.to(ScalarType.Float32);
        Assert.True(read.Identical(expected));
        var e = Assert.Throws<NotSupportedException>(() => file.Read("meta.x"));
        Assert.Contains("I64", e.Message);
    }

    [Fact]
    public void CopyTo_TensorLargerThanOneChunk_CopiesEverything()
    {
        using var dir = new TempDirectory();
        var path = dir.File("big.safetensors");
        using var values = arange(0, 5_000_000, ScalarType.Float32);
        using var bf = values.to(ScalarType.BFloat16);
        SafetensorsFile.Write(path, [("w", SafetensorsDtype.BF16, [5_000_000], SafetensorsFile.TensorBytes(bf))]);
        using var file = SafetensorsFile.Open(path);
        using var read = file.Read("w", ScalarType.Float32);
        using var expected = bf.to(ScalarType.Float32);
        Assert.True(read.Identical(expected));
    }
}
