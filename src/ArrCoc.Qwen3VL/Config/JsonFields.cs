using System.Text.Json;

namespace ArrCoc.Qwen3VL.Config;

/// <summary>
/// Typed reads of JSON config fields with errors that name the file and the field
/// (e.g. "config.json: text_config.hidden_size is missing").
/// </summary>
internal readonly struct JsonFields
{
    readonly JsonElement _element;
    readonly string _file;
    readonly string _path;

    public JsonFields(JsonElement element, string file, string path = "")
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{file}: {(path.Length == 0 ? "the document" : path)} must be a JSON object, found {element.ValueKind}.");
        _element = element;
        _file = file;
        _path = path;
    }

    public string File => _file;

    public string Name(string field) => _path.Length == 0 ? field : _path + "." + field;

    public bool Has(string field) => _element.TryGetProperty(field, out var v) && v.ValueKind != JsonValueKind.Null;

    public InvalidDataException Error(string field, string problem) => new($"{_file}: {Name(field)} {problem}");

    public JsonFields Object(string field)
    {
        if (!_element.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null) throw Error(field, "is missing.");
        if (v.ValueKind != JsonValueKind.Object) throw Error(field, $"must be an object, found {v.ValueKind}.");
        return new JsonFields(v, _file, Name(field));
    }

    public JsonFields? OptionalObject(string field)
    {
        if (!_element.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Object) throw Error(field, $"must be an object, found {v.ValueKind}.");
        return new JsonFields(v, _file, Name(field));
    }

    JsonElement Required(string field)
    {
        if (!_element.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null) throw Error(field, "is missing.");
        return v;
    }

    public int Int(string field)
    {
        var v = Required(field);
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var i)) throw Error(field, $"must be an integer, found {v}.");
        return i;
    }

    public int Int(string field, int fallback) => Has(field) ? Int(field) : fallback;

    public int PositiveInt(string field)
    {
        var i = Int(field);
        if (i <= 0) throw Error(field, $"must be positive, found {i}.");
        return i;
    }

    public int PositiveInt(string field, int fallback) => Has(field) ? PositiveInt(field) : fallback;

    public long Long(string field)
    {
        var v = Required(field);
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var i)) throw Error(field, $"must be an integer, found {v}.");
        return i;
    }

    public double Double(string field)
    {
        var v = Required(field);
        if (v.ValueKind != JsonValueKind.Number) throw Error(field, $"must be a number, found {v}.");
        return v.GetDouble();
    }

    public double Double(string field, double fallback) => Has(field) ? Double(field) : fallback;

    public bool Bool(string field)
    {
        var v = Required(field);
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(field, $"must be true or false, found {v}."),
        };
    }

    public bool? OptionalBool(string field) => Has(field) ? Bool(field) : null;

    public string String(string field)
    {
        var v = Required(field);
        if (v.ValueKind != JsonValueKind.String) throw Error(field, $"must be a string, found {v}.");
        return v.GetString()!;
    }

    public string String(string field, string fallback) => Has(field) ? String(field) : fallback;

    public int[] IntArray(string field)
    {
        var v = Required(field);
        if (v.ValueKind != JsonValueKind.Array) throw Error(field, $"must be an array of integers, found {v}.");
        var result = new int[v.GetArrayLength()];
        var i = 0;
        foreach (var item in v.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out result[i])) throw Error(field, $"must be an array of integers, found {v}.");
            i++;
        }
        return result;
    }

    /// <summary>An integer or an array of integers (e.g. generation_config's eos_token_id).</summary>
    public long[] IntOrIntArray(string field)
    {
        var v = Required(field);
        if (v.ValueKind == JsonValueKind.Number) return [Long(field)];
        if (v.ValueKind != JsonValueKind.Array) throw Error(field, $"must be an integer or an array of integers, found {v}.");
        var result = new List<long>();
        foreach (var item in v.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var x)) throw Error(field, $"must be an integer or an array of integers, found {v}.");
            result.Add(x);
        }
        return [.. result];
    }

    public double[] DoubleArray(string field)
    {
        var v = Required(field);
        if (v.ValueKind != JsonValueKind.Array) throw Error(field, $"must be an array of numbers, found {v}.");
        var result = new List<double>();
        foreach (var item in v.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number) throw Error(field, $"must be an array of numbers, found {v}.");
            result.Add(item.GetDouble());
        }
        return [.. result];
    }

    /// <summary>Parses a JSON file into its root object; a missing file or invalid JSON is a clear error naming it.</summary>
    public static (JsonDocument Document, JsonFields Root) Load(string path)
    {
        if (!System.IO.File.Exists(path)) throw new FileNotFoundException($"{path} not found.", path);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(System.IO.File.ReadAllBytes(path), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message}).", e);
        }
        return (doc, new JsonFields(doc.RootElement, path));
    }
}
