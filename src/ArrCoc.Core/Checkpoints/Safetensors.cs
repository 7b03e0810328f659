using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace ArrCoc.Core.Checkpoints;

/// <summary>
/// Reads and writes small safetensors files (ARR-COC's learned weights: a few MB) in memory.
/// Format: 8-byte little-endian header length N, N bytes of JSON {name: {dtype, shape, data_offsets}}, raw data.
/// Every malformed-file case is an <see cref="InvalidDataException"/> naming the file.
/// </summary>
public static class Safetensors
{
    const long MaxHeaderBytes = 100L << 20;

    /// <summary>Write float32 tensors (sorted by name) with optional string metadata.</summary>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new Dictionary<string, object>(StringComparer.Ordinal);
        if (metadata is { Count: > 0 }) header["__metadata__"] = metadata;
        var blobs = new List<byte[]>();
        long offset = 0;
        foreach (var (name, tensor) in tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            using var scope = NewDisposeScope();
            var cpu = tensor.detach().to(ScalarType.Float32).cpu().contiguous();
            var bytes = MemoryMarshal.AsBytes(cpu.data<float>().ToArray().AsSpan()).ToArray();
            header[name] = new { dtype = "F32", shape = tensor.shape, data_offsets = new[] { offset, offset + bytes.Length } };
            blobs.Add(bytes);
            offset += bytes.Length;
        }
        var json = JsonSerializer.SerializeToUtf8Bytes(header);
        int padding = (8 - json.Length % 8) % 8; // the format recommends 8-byte alignment of the data
        var temp = path + ".tmp";
        using (var stream = File.Create(temp))
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)(json.Length + padding));
            stream.Write(length);
            stream.Write(json);
            for (int i = 0; i < padding; i++) stream.WriteByte((byte)' ');
            foreach (var blob in blobs) stream.Write(blob);
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Read every tensor as float32 (F32, F16 and BF16 are accepted), plus the metadata.</summary>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"checkpoint not found: {path}", path);
        var file = File.ReadAllBytes(path);
        if (file.Length < 8) throw Invalid(path, $"file is {file.Length} bytes, shorter than the 8-byte header length");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > MaxHeaderBytes || (long)headerLength > file.Length - 8)
            throw Invalid(path, $"header length {headerLength} is larger than the file allows ({file.Length - 8} bytes after the length)");
        int dataStart = 8 + (int)headerLength;
        long dataLength = file.Length - dataStart;

        JsonDocument document;
        try { document = JsonDocument.Parse(file.AsMemory(8, (int)headerLength)); }
        catch (JsonException e) { throw Invalid(path, "header is not valid JSON: " + e.Message); }

        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var ranges = new List<(long Begin, long End, string Name)>();
        try
        {
            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object) throw Invalid(path, "header is not a JSON object");
                foreach (var entry in document.RootElement.EnumerateObject())
                {
                    if (entry.Name == "__metadata__")
                    {
                        foreach (var m in entry.Value.EnumerateObject()) metadata[m.Name] = m.Value.ToString();
                        continue;
                    }
                    var (dtype, shape, begin, end) = ParseEntry(path, entry);
                    int width = dtype switch { "F32" => 4, "F16" or "BF16" => 2, _ => throw Invalid(path, $"tensor '{entry.Name}' has dtype {dtype}; only F32, F16 and BF16 are supported") };
                    long bytes;
                    try { bytes = checked(shape.Aggregate(1L, (a, b) => checked(a * b)) * width); }
                    catch (OverflowException) { throw Invalid(path, $"tensor '{entry.Name}' shape [{string.Join(", ", shape)}] overflows"); }
                    if (end < begin || end > dataLength)
                        throw Invalid(path, $"tensor '{entry.Name}' data_offsets [{begin}, {end}] lie outside the {dataLength} data bytes (file truncated?)");
                    if (end - begin != bytes)
                        throw Invalid(path, $"tensor '{entry.Name}' has {end - begin} bytes; shape [{string.Join(", ", shape)}] of {dtype} needs {bytes}");
                    ranges.Add((begin, end, entry.Name));
                    tensors[entry.Name] = Decode(file.AsSpan(dataStart + (int)begin, (int)(end - begin)), dtype, shape);
                }
            }
            ranges.Sort();
            for (int i = 1; i < ranges.Count; i++)
                if (ranges[i].Begin < ranges[i - 1].End)
                    throw Invalid(path, $"tensors '{ranges[i - 1].Name}' and '{ranges[i].Name}' overlap");
        }
        catch
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw;
        }
        return (tensors, metadata);
    }

    static (string Dtype, long[] Shape, long Begin, long End) ParseEntry(string path, JsonProperty entry)
    {
        try
        {
            var value = entry.Value;
            var dtype = value.GetProperty("dtype").GetString() ?? "";
            var shape = value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            if (shape.Any(d => d < 0)) throw Invalid(path, $"tensor '{entry.Name}' has a negative dimension");
            var offsets = value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            if (offsets.Length != 2) throw Invalid(path, $"tensor '{entry.Name}' data_offsets must have 2 values");
            return (dtype, shape, offsets[0], offsets[1]);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw Invalid(path, $"tensor '{entry.Name}' has a malformed header entry ({e.Message})");
        }
    }

    static Tensor Decode(ReadOnlySpan<byte> bytes, string dtype, long[] shape)
    {
        var values = new float[bytes.Length / (dtype == "F32" ? 4 : 2)];
        switch (dtype)
        {
            case "F32":
                MemoryMarshal.Cast<byte, float>(bytes).CopyTo(values);
                break;
            case "F16":
                for (int i = 0; i < values.Length; i++) values[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(bytes[(2 * i)..]);
                break;
            default: // BF16: the upper 16 bits of a float32
                for (int i = 0; i < values.Length; i++) values[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * i)..]) << 16);
                break;
        }
        return tensor(values, shape);
    }

    static InvalidDataException Invalid(string path, string what) => new($"{Path.GetFileName(path)}: not a valid safetensors file: {what}");
}
