using System.Collections;
using System.Collections.Specialized;
using ArrCoc.Core.Checkpoints;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace ArrCoc.Core.Tests;

/// <summary>ARR-COC weights in a PyTorch state-dict file, written here with PyBridge's pickler as torch.save would.</summary>
public class PyTorchCheckpointTests
{
    const int D = 24;

    static string WritePt(TempDirectory dir, IDictionary stateDict, string name = "arrcoc.pt")
    {
        var path = dir.File(name);
        using var stream = File.Create(path);
        PyTorchPickler.PickleStateDict(stream, stateDict, leaveOpen: false);
        return path;
    }

    static OrderedDictionary StateDict(ArrCocModel model, string prefix = "", Func<string, Tensor, Tensor>? change = null)
    {
        var dict = new OrderedDictionary();
        foreach (var (key, value) in model.state_dict()) dict[prefix + key] = change?.Invoke(key, value) ?? value;
        return dict;
    }

    static void AssertSameWeights(ArrCocModel expected, ArrCocModel actual)
    {
        var a = expected.state_dict();
        var b = actual.state_dict();
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        Assert.All(a, kv => Assert.True(TensorAssert.Identical(kv.Value, b[kv.Key]), kv.Key));
    }

    [Fact]
    public void Load_TorchSaveStateDict_SameWeightsAsTheSafetensorsFile()
    {
        using var dir = new TempDirectory();
        var model = new ArrCocModel(D, seed: 7);
        AssertSameWeights(model, ArrCocCheckpoint.Load(WritePt(dir, StateDict(model)), D));
        AssertSameWeights(model, ArrCocCheckpoint.Load(WritePt(dir, StateDict(model), "pytorch_model.bin"), D));
    }

    [Fact]
    public void Load_DistributedPrefixAndNestedTrainingCheckpoint_AreUnwrapped()
    {
        using var dir = new TempDirectory();
        var model = new ArrCocModel(D, seed: 8);
        AssertSameWeights(model, ArrCocCheckpoint.Load(WritePt(dir, StateDict(model, "module.")), D));
        var training = new Hashtable { ["state_dict"] = StateDict(model), ["epoch"] = 3 };
        AssertSameWeights(model, ArrCocCheckpoint.Load(WritePt(dir, training, "train.pt"), D));
    }

    [Fact]
    public void Load_Bf16Tensors_BecomeFloat32()
    {
        using var dir = new TempDirectory();
        var model = new ArrCocModel(D, seed: 9);
        var loaded = ArrCocCheckpoint.Load(WritePt(dir, StateDict(model, change: (_, t) => t.to(ScalarType.BFloat16))), D);
        var expected = model.state_dict()["balancer.weight_predictor.0.weight"].to(ScalarType.BFloat16).to(ScalarType.Float32);
        Assert.True(TensorAssert.Identical(expected, loaded.state_dict()["balancer.weight_predictor.0.weight"]));
    }

    [Fact]
    public void Load_WrongD_NamesTheTensorAndBothDimensions()
    {
        using var dir = new TempDirectory();
        var path = WritePt(dir, StateDict(new ArrCocModel(16, seed: 1)));
        var error = Assert.Throws<InvalidDataException>(() => ArrCocCheckpoint.Load(path, D));
        Assert.Contains("participatory_scorer.texture_proj.2.bias has shape [16], expected [24]", error.Message);
        Assert.Contains("checkpoint D = 16, model D = 24", error.Message);
    }

    [Fact]
    public void Load_MissingAndUnexpectedKeys_AreListed()
    {
        using var dir = new TempDirectory();
        var dict = StateDict(new ArrCocModel(D, seed: 1));
        dict.Remove("balancer.weight_predictor.4.bias");
        dict["balancer.extra"] = zeros(2);
        var error = Assert.Throws<InvalidDataException>(() => ArrCocCheckpoint.Load(WritePt(dir, dict), D));
        Assert.Contains("missing balancer.weight_predictor.4.bias", error.Message);
        Assert.Contains("unexpected balancer.extra", error.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x02, 0x8a, 0x0a }, "legacy")]
    [InlineData(new byte[] { 1, 2, 3 }, "not a PyTorch state-dict file")]
    [InlineData(new byte[] { (byte)'P', (byte)'K', 3, 4, 0, 0, 0 }, "arrcoc.pt")]
    public void Load_NotAStateDict_ClearError(byte[] content, string expected)
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("arrcoc.pt"), content);
        var error = Assert.Throws<InvalidDataException>(() => ArrCocCheckpoint.Load(dir.File("arrcoc.pt"), D));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Load_OtherExtension_IsNotSupported()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("weights.onnx"), [0]);
        var error = Assert.Throws<NotSupportedException>(() => ArrCocCheckpoint.Load(dir.File("weights.onnx"), D));
        Assert.Contains(".safetensors", error.Message);
    }
}
