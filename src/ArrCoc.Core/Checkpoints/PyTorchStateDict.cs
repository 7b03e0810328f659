using System.Collections;
using Razorvine.Pickle;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace ArrCoc.Core.Checkpoints;

/// <summary>
/// Reads a PyTorch state-dict file, as <c>torch.save(model.state_dict(), "x.pt")</c> writes it (a zip holding
/// data.pkl and one entry per storage; also HF's <c>pytorch_model.bin</c>), through TorchSharp.PyBridge. Pickles
/// are decoded by Razorvine.Pickle, which builds plain objects and runs no code from the file. Accepted shapes:
/// a flat {key: tensor} dictionary; the same nested under "state_dict", "model_state_dict" or "model" (training
/// checkpoints); keys prefixed "module." everywhere (DistributedDataParallel) have the prefix removed.
/// Tensors come back as float32 on the CPU. Every malformed case is an <see cref="InvalidDataException"/> naming
/// the file.
/// </summary>
public static class PyTorchStateDict
{
    static readonly string[] NestedKeys = ["state_dict", "model_state_dict", "model"];

    public static Dictionary<string, Tensor> Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"checkpoint not found: {path}", path);
        var name = Path.GetFileName(path);
        Hashtable table;
        using (var stream = File.OpenRead(path))
        {
            Span<byte> signature = stackalloc byte[4];
            int read = stream.ReadAtLeast(signature, 4, throwOnEndOfStream: false);
            if (read < 4 || signature[0] != (byte)'P' || signature[1] != (byte)'K' || signature[2] != 3 || signature[3] != 4)
                throw new InvalidDataException(read >= 1 && signature[0] == 0x80
                    ? $"{name}: saved in PyTorch's legacy (pre-1.6, non-zip) format; load it in Python and save it again with torch.save"
                    : $"{name}: not a PyTorch state-dict file (no zip signature; expected what torch.save writes)");
            stream.Position = 0;
            try
            {
                table = PyTorchUnpickler.UnpickleStateDict(stream, leaveOpen: true);
            }
            catch (Exception e) when (e is PickleException or InvalidCastException or InvalidOperationException or KeyNotFoundException
                or NotImplementedException or NotSupportedException or IndexOutOfRangeException or ArgumentException or InvalidDataException or EndOfStreamException)
            {
                throw new InvalidDataException($"{name}: not a readable PyTorch state dict ({e.GetType().Name}: {e.Message})", e);
            }
        }
        return ToTensors(name, Unwrap(table));
    }

    /// <summary>A training checkpoint's model state, when the file holds one under a known key instead of tensors.</summary>
    static Hashtable Unwrap(Hashtable table)
    {
        if (table.Values.OfType<Tensor>().Any()) return table;
        foreach (var key in NestedKeys)
            if (table[key] is Hashtable nested) return nested;
        return table;
    }

    static Dictionary<string, Tensor> ToTensors(string name, Hashtable table)
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            var keys = table.Keys.Cast<object>().Select(k => k as string ?? throw new InvalidDataException($"{name}: a state-dict key is not a string ({k})")).ToList();
            bool strip = keys.Count > 0 && keys.All(k => k.StartsWith("module.", StringComparison.Ordinal));
            foreach (var key in keys)
            {
                if (table[key] is not Tensor value)
                    throw new InvalidDataException($"{name}: '{key}' is not a tensor ({table[key]?.GetType().Name ?? "null"}); expected a state dict of tensors");
                Tensor tensor;
                using (NewDisposeScope()) // the conversions' intermediates go with it
                    tensor = value.to(ScalarType.Float32, CPU).contiguous().detach().MoveToOuterDisposeScope();
                if (!ReferenceEquals(tensor, value)) value.Dispose();
                result[strip ? key["module.".Length..] : key] = tensor;
            }
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            foreach (var t in table.Values.OfType<Tensor>()) t.Dispose();
            throw;
        }
        return result;
    }
}
