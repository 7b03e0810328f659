using System.IO.MemoryMappedFiles;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace ArrCoc.Qwen3VL.Safetensors;

/// <summary>One tensor entry of a safetensors header. Offsets are absolute file offsets of the data.</summary>
public sealed record SafetensorsEntry(string Name, SafetensorsDtype Dtype, long[] Shape, long Begin, long End)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);
    public long ByteLength => End - Begin;
}

/// <summary>
/// A memory-mapped safetensors file (8-byte little-endian header length N, N bytes of JSON, then the data).
/// The whole header is validated on open; every malformed-file class is an <see cref="InvalidDataException"/>
/// naming the file. Tensor data is mapped one tensor at a time and copied (converted) straight into a destination
/// tensor, so loading never holds a second full copy of the weights.
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    /// <summary>Upper bound on the header size, as in the reference implementation (100 MB).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>Elements converted per step when the stored dtype differs from the destination's.</summary>
    const long ChunkElements = 1 << 22;

    readonly MemoryMappedFile? _map;

    public string Path { get; }
    public long FileLength { get; }
    public IReadOnlyDictionary<string, SafetensorsEntry> Tensors { get; }
    public IReadOnlyDictionary<string, string> Metadata { get; }

    SafetensorsFile(string path, long length, MemoryMappedFile? map, Dictionary<string, SafetensorsEntry> tensors, Dictionary<string, string> metadata)
    {
        Path = path;
        FileLength = length;
        _map = map;
        Tensors = tensors;
        Metadata = metadata;
    }

    public static SafetensorsFile Open(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} not found.", path);
        long length;
        byte[] header;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            length = stream.Length;
            if (length < 8) throw Bad(path, $"is truncated: {length} bytes, too short for the 8-byte header length.");
            Span<byte> lengthBytes = stackalloc byte[8];
            stream.ReadExactly(lengthBytes);
            var n = BitConverter.ToUInt64(lengthBytes);
            if (n > (ulong)(length - 8)) throw Bad(path, $"header length {n} is larger than the file allows ({length - 8} bytes after the length field): the file is truncated or not safetensors.");
            if (n > MaxHeaderBytes) throw Bad(path, $"header length {n} exceeds the {MaxHeaderBytes}-byte limit.");
            if (n < 2) throw Bad(path, $"header length {n} is too small for a JSON object.");
            header = new byte[n];
            stream.ReadExactly(header);
        }
        var dataStart = 8 + header.Length;
        var (tensors, metadata) = ParseHeader(path, header, dataStart, length);
        var map = length > dataStart ? MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read) : null;
        return new SafetensorsFile(path, length, map, tensors, metadata);
    }

    static InvalidDataException Bad(string path, string problem) => new($"safetensors file {path}: {problem}");

    static (Dictionary<string, SafetensorsEntry>, Dictionary<string, string>) ParseHeader(string path, byte[] header, long dataStart, long fileLength)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw Bad(path, $"header is not valid JSON ({e.Message}).");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw Bad(path, "header is not a JSON object.");
            var tensors = new Dictionary<string, SafetensorsEntry>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var dataLength = fileLength - dataStart;
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                var name = property.Name;
                if (name == "__metadata__")
                {
                    if (property.Value.ValueKind != JsonValueKind.Object) throw Bad(path, "__metadata__ must be an object of strings.");
                    foreach (var m in property.Value.EnumerateObject())
                    {
                        if (m.Value.ValueKind != JsonValueKind.String) throw Bad(path, $"__metadata__.{m.Name} must be a string.");
                        metadata[m.Name] = m.Value.GetString()!;
                    }
                    continue;
                }
                var entry = ParseEntry(path, name, property.Value);
                if (entry.End > dataLength)
                    throw Bad(path, $"tensor \"{name}\" data_offsets [{entry.Begin}, {entry.End}] run past the end of the data ({dataLength} bytes): the file is truncated or the header lies.");
                if (!tensors.TryAdd(name, entry with { Begin = entry.Begin + dataStart, End = entry.End + dataStart }))
                    throw Bad(path, $"tensor \"{name}\" appears twice in the header.");
            }
            // Entries must tile the data section: sorted by offset, no overlaps, no holes, nothing after the last one.
            long expected = dataStart;
            foreach (var e in tensors.Values.OrderBy(e => e.Begin).ThenBy(e => e.End))
            {
                if (e.Begin < expected)
                    throw Bad(path, $"tensor \"{e.Name}\" data_offsets [{e.Begin - dataStart}, {e.End - dataStart}] overlap the previous tensor (which ends at {expected - dataStart}).");
                if (e.Begin > expected)
                    throw Bad(path, $"tensor \"{e.Name}\" data_offsets start at {e.Begin - dataStart} but the previous tensor ends at {expected - dataStart}: the header leaves a hole.");
                expected = e.End;
            }
            if (expected != fileLength)
                throw Bad(path, $"the header describes {expected - dataStart} data bytes but the file holds {fileLength - dataStart}.");
            return (tensors, metadata);
        }
    }

    static SafetensorsEntry ParseEntry(string path, string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object) throw Bad(path, $"tensor \"{name}\" entry is not an object.");
        if (!value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw Bad(path, $"tensor \"{name}\" has no dtype string.");
        var dtypeText = dtypeElement.GetString()!;
        if (!SafetensorsDtypes.TryParse(dtypeText, out var dtype))
            throw Bad(path, $"tensor \"{name}\" has unknown dtype \"{dtypeText}\".");
        if (!value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
            throw Bad(path, $"tensor \"{name}\" has no shape array.");
        var shape = new List<long>();
        foreach (var d in shapeElement.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out var x) || x < 0)
                throw Bad(path, $"tensor \"{name}\" has an invalid shape {shapeElement}.");
            shape.Add(x);
        }
        if (!value.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
            throw Bad(path, $"tensor \"{name}\" has no [begin, end] data_offsets.");
        var begin = offsets[0];
        var end = offsets[1];
        if (begin.ValueKind != JsonValueKind.Number || end.ValueKind != JsonValueKind.Number || !begin.TryGetInt64(out var b) || !end.TryGetInt64(out var e) || b < 0 || e < b)
            throw Bad(path, $"tensor \"{name}\" has invalid data_offsets {offsets}.");
        long bytes;
        try
        {
            bytes = checked(shape.Aggregate(1L, (a, c) => checked(a * c)) * dtype.ElementSize());
        }
        catch (OverflowException)
        {
            throw Bad(path, $"tensor \"{name}\" shape [{string.Join(", ", shape)}] overflows.");
        }
        if (e - b != bytes)
            throw Bad(path, $"tensor \"{name}\" is {dtype} [{string.Join(", ", shape)}] = {bytes} bytes but its data_offsets [{b}, {e}] span {e - b}.");
        return new SafetensorsEntry(name, dtype, [.. shape], b, e);
    }

    /// <summary>
    /// Copies tensor <paramref name="name"/> into <paramref name="destination"/> (contiguous, same element count,
    /// any float dtype, any device), converting the stored dtype chunk by chunk. Only this tensor's bytes are mapped.
    /// </summary>
    public void CopyTo(string name, Tensor destination)
    {
        if (!Tensors.TryGetValue(name, out var entry)) throw new KeyNotFoundException($"safetensors file {Path}: no tensor \"{name}\".");
        if (!entry.Dtype.IsSupportedWeightType())
            throw new NotSupportedException($"safetensors file {Path}: tensor \"{name}\" is {entry.Dtype}; only BF16, F16 and F32 weights are supported.");
        if (destination.NumberOfElements != entry.ElementCount)
            throw new ArgumentException($"tensor \"{name}\" has {entry.ElementCount} elements in {Path} but the destination has {destination.NumberOfElements}.");
        if (!destination.is_contiguous()) throw new ArgumentException($"destination for \"{name}\" must be contiguous.");
        if (entry.ElementCount == 0) return;

        var sourceType = entry.Dtype.ToScalarType();
        var elementSize = entry.Dtype.ElementSize();
        var direct = sourceType == destination.dtype && destination.device_type == DeviceType.CPU;
        using var view = _map!.CreateViewAccessor(entry.Begin, entry.ByteLength, MemoryMappedFileAccess.Read);
        unsafe
        {
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            try
            {
                pointer += view.PointerOffset;
                using var flat = destination.view(-1);
                using var staging = direct ? null : torch.empty(Math.Min(ChunkElements, entry.ElementCount), sourceType);
                for (long start = 0; start < entry.ElementCount; start += ChunkElements)
                {
                    var count = Math.Min(ChunkElements, entry.ElementCount - start);
                    var source = new ReadOnlySpan<byte>(pointer + start * elementSize, checked((int)(count * elementSize)));
                    using var target = flat.narrow(0, start, count);
                    if (direct)
                    {
                        source.CopyTo(target.bytes);
                    }
                    else
                    {
                        using var stage = staging!.narrow(0, 0, count);
                        source.CopyTo(stage.bytes);
                        target.copy_(stage);
                    }
                }
            }
            finally
            {
                view.SafeMemoryMappedViewHandle.ReleasePointer();
            }
        }
    }

    /// <summary>Reads one tensor into a new CPU tensor of <paramref name="dtype"/> (default: its stored dtype).</summary>
    public Tensor Read(string name, ScalarType? dtype = null)
    {
        if (!Tensors.TryGetValue(name, out var entry)) throw new KeyNotFoundException($"safetensors file {Path}: no tensor \"{name}\".");
        var result = torch.empty(entry.Shape, dtype ?? entry.Dtype.ToScalarType());
        CopyTo(name, result);
        return result;
    }

    public void Dispose() => _map?.Dispose();

    /// <summary>
    /// Writes a safetensors file: header (keys in the given order, 8-byte aligned with spaces, __metadata__ format pt),
    /// then the data back to back. Used by the fixture writer and tests.
    /// </summary>
    public static void Write(string path, IEnumerable<(string Name, SafetensorsDtype Dtype, long[] Shape, ReadOnlyMemory<byte> Data)> tensors)
    {
        var list = tensors.ToList();
        using var ms = new MemoryStream();
        using (var json = new Utf8JsonWriter(ms))
        {
            json.WriteStartObject();
            json.WritePropertyName("__metadata__");
            json.WriteStartObject();
            json.WriteString("format", "pt");
            json.WriteEndObject();
            long offset = 0;
            foreach (var (name, dtype, shape, data) in list)
            {
                var bytes = shape.Aggregate(1L, (a, b) => a * b) * dtype.ElementSize();
                if (bytes != data.Length) throw new ArgumentException($"tensor \"{name}\": {data.Length} data bytes for {dtype} [{string.Join(", ", shape)}] ({bytes} expected).");
                json.WritePropertyName(name);
                json.WriteStartObject();
                json.WriteString("dtype", dtype.ToString());
                json.WritePropertyName("shape");
                json.WriteStartArray();
                foreach (var d in shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WritePropertyName("data_offsets");
                json.WriteStartArray();
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes;
            }
            json.WriteEndObject();
        }
        var header = ms.ToArray().ToList();
        while ((header.Count % 8) != 0) header.Add((byte)' ');
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        file.Write(BitConverter.GetBytes((ulong)header.Count));
        file.Write(header.ToArray());
        foreach (var t in list) file.Write(t.Data.Span);
    }

    /// <summary>Raw little-endian bytes of a contiguous CPU tensor.</summary>
    public static byte[] TensorBytes(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        return tensor.detach().cpu().contiguous().bytes.ToArray();
    }
}
