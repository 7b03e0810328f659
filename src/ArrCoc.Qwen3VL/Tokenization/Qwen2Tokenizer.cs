using System.Text;
using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace ArrCoc.Qwen3VL.Tokenization;

/// <summary>An added token of the tokenizer files (special: control tokens such as &lt;|im_end|&gt;; non-special: e.g. &lt;think&gt;).</summary>
public sealed record AddedToken(int Id, string Content, bool Special);

/// <summary>
/// Qwen2Tokenizer (Qwen2/2.5/3 and Qwen3-VL) from a checkpoint's tokenizer files: byte-level BPE
/// (Microsoft.ML.Tokenizers) over pieces from <see cref="QwenPreTokenizer"/>, NFC normalisation, and every added
/// token — special or not — matched as a whole string in the raw text before anything else (leftmost, longest).
/// Text that only resembles an added token stays text. No BOS/EOS is added; the chat template supplies markers.
/// Special ids come from the files, never from constants.
/// </summary>
public sealed class Qwen2Tokenizer
{
    readonly BpeTokenizer _bpe;
    readonly Dictionary<string, int> _vocab;
    readonly Dictionary<int, byte[]> _bytes = new();
    readonly Dictionary<string, AddedToken> _addedByContent;
    readonly Dictionary<int, AddedToken> _addedById;
    readonly Dictionary<char, AddedToken[]> _addedByFirstChar;

    public IReadOnlyList<AddedToken> AddedTokens { get; }
    /// <summary>tokenizer_config eos_token id, e.g. &lt;|im_end|&gt; 151645 (null when not declared).</summary>
    public int? EosTokenId { get; }
    /// <summary>tokenizer_config pad_token id, e.g. &lt;|endoftext|&gt; 151643.</summary>
    public int? PadTokenId { get; }
    /// <summary>One past the largest id (regular vocabulary and added tokens).</summary>
    public int Count { get; }

    Qwen2Tokenizer(Dictionary<string, int> vocab, List<(string, string)> merges, List<AddedToken> added, string? eos, string? pad, string source)
    {
        _vocab = vocab;
        AddedTokens = added.OrderBy(a => a.Id).ToList();
        _addedByContent = new Dictionary<string, AddedToken>(StringComparer.Ordinal);
        _addedById = new Dictionary<int, AddedToken>();
        foreach (var a in AddedTokens)
        {
            if (!_addedByContent.TryAdd(a.Content, a)) throw new InvalidDataException($"{source}: added token \"{a.Content}\" is listed twice.");
            if (!_addedById.TryAdd(a.Id, a)) throw new InvalidDataException($"{source}: id {a.Id} is used by two added tokens.");
            if (vocab.TryGetValue(a.Content, out var vid) && vid != a.Id)
                throw new InvalidDataException($"{source}: added token \"{a.Content}\" has id {a.Id} but the vocabulary says {vid}.");
        }
        _addedByFirstChar = AddedTokens.GroupBy(a => a.Content[0]).ToDictionary(g => g.Key, g => g.OrderByDescending(a => a.Content.Length).ToArray());

        foreach (var (token, id) in vocab)
        {
            if (!ByteLevel.TryDecode(token, out var bytes))
            {
                if (_addedByContent.ContainsKey(token)) continue;
                throw new InvalidDataException($"{source}: vocabulary token \"{token}\" (id {id}) is not byte-level encoded.");
            }
            _bytes[id] = bytes;
        }
        foreach (var a in AddedTokens) _bytes[a.Id] = Encoding.UTF8.GetBytes(a.Content);
        Count = Math.Max(vocab.Count == 0 ? 0 : vocab.Values.Max() + 1, AddedTokens.Count == 0 ? 0 : AddedTokens.Max(a => a.Id) + 1);

        var regular = vocab.Where(p => !_addedByContent.ContainsKey(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        _bpe = BpeTokenizer.Create(new BpeOptions(regular)
        {
            Merges = merges.Select(m => m.Item1 + " " + m.Item2),
            PreTokenizer = QwenPreTokenizer.Instance,
            ByteLevel = true,
        });
        EosTokenId = eos is null ? null : RequireTokenId(eos);
        PadTokenId = pad is null ? null : RequireTokenId(pad);
    }

    /// <summary>
    /// Loads tokenizer.json (preferred) or vocab.json + merges.txt, plus tokenizer_config.json for added tokens and
    /// eos/pad names.
    /// </summary>
    public static Qwen2Tokenizer FromDirectory(string dir)
    {
        var json = Path.Combine(dir, "tokenizer.json");
        var config = Path.Combine(dir, "tokenizer_config.json");
        var (configAdded, eos, pad) = File.Exists(config) ? ReadConfig(config) : ([], null, null);
        if (File.Exists(json)) return FromTokenizerJson(json, configAdded, eos, pad);
        var vocabPath = Path.Combine(dir, "vocab.json");
        var mergesPath = Path.Combine(dir, "merges.txt");
        if (!File.Exists(vocabPath) || !File.Exists(mergesPath))
            throw new FileNotFoundException($"{dir} has no tokenizer: expected tokenizer.json, or vocab.json + merges.txt (+ tokenizer_config.json).", json);
        var vocab = ReadVocab(vocabPath);
        var merges = new List<(string, string)>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(mergesPath))
        {
            lineNumber++;
            if (line.StartsWith("#version", StringComparison.Ordinal) || line.Length == 0) continue;
            var parts = line.Split(' ');
            if (parts.Length != 2) throw new InvalidDataException($"{mergesPath}: line {lineNumber} is not a pair \"a b\".");
            merges.Add((parts[0], parts[1]));
        }
        return new Qwen2Tokenizer(vocab, merges, configAdded, eos, pad, vocabPath);
    }

    static Dictionary<string, int> ReadVocab(string path)
    {
        try
        {
            var vocab = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllBytes(path));
            return vocab ?? throw new InvalidDataException($"{path}: empty vocabulary.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a JSON object of token → id ({e.Message}).", e);
        }
    }

    static (List<AddedToken> Added, string? Eos, string? Pad) ReadConfig(string path)
    {
        using var doc = Parse(path);
        var root = doc.RootElement;
        var added = new List<AddedToken>();
        if (root.TryGetProperty("added_tokens_decoder", out var decoder) && decoder.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in decoder.EnumerateObject())
            {
                if (!int.TryParse(p.Name, out var id)) throw new InvalidDataException($"{path}: added_tokens_decoder key \"{p.Name}\" is not an id.");
                added.Add(ReadAdded(path, p.Value, id));
            }
        }
        return (added, TokenName(root, "eos_token", path), TokenName(root, "pad_token", path));
    }

    static string? TokenName(JsonElement root, string field, string path)
    {
        if (!root.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind == JsonValueKind.String) return v.GetString();
        if (v.ValueKind == JsonValueKind.Object && v.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String) return c.GetString();
        throw new InvalidDataException($"{path}: {field} must be a token string.");
    }

    static AddedToken ReadAdded(string path, JsonElement e, int id)
    {
        if (!e.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.String || content.GetString()!.Length == 0)
            throw new InvalidDataException($"{path}: added token {id} has no content.");
        foreach (var flag in new[] { "lstrip", "rstrip", "single_word" })
            if (e.TryGetProperty(flag, out var f) && f.ValueKind == JsonValueKind.True)
                throw new NotSupportedException($"{path}: added token \"{content.GetString()}\" sets {flag}, which this tokenizer does not implement.");
        var special = e.TryGetProperty("special", out var s) && s.ValueKind == JsonValueKind.True;
        return new AddedToken(id, content.GetString()!, special);
    }

    static JsonDocument Parse(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message}).", e);
        }
    }

    static Qwen2Tokenizer FromTokenizerJson(string path, List<AddedToken> configAdded, string? eos, string? pad)
    {
        using var doc = Parse(path);
        var root = doc.RootElement;
        if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{path}: model is missing.");
        var type = model.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (type != "BPE") throw new NotSupportedException($"{path}: model.type is \"{type}\"; only BPE is supported.");
        CheckPipeline(path, root);

        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        if (!model.TryGetProperty("vocab", out var v) || v.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{path}: model.vocab is missing.");
        foreach (var p in v.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetInt32(out var id)) throw new InvalidDataException($"{path}: model.vocab[\"{p.Name}\"] is not an id.");
            vocab[p.Name] = id;
        }
        var merges = new List<(string, string)>();
        if (!model.TryGetProperty("merges", out var m) || m.ValueKind != JsonValueKind.Array) throw new InvalidDataException($"{path}: model.merges is missing.");
        foreach (var item in m.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String)
            {
                var parts = item.GetString()!.Split(' ');
                if (parts.Length != 2) throw new InvalidDataException($"{path}: merge \"{item.GetString()}\" is not a pair.");
                merges.Add((parts[0], parts[1]));
            }
            else if (item.ValueKind == JsonValueKind.Array && item.GetArrayLength() == 2 && item[0].ValueKind == JsonValueKind.String && item[1].ValueKind == JsonValueKind.String)
            {
                merges.Add((item[0].GetString()!, item[1].GetString()!));
            }
            else throw new InvalidDataException($"{path}: merge {item} is neither \"a b\" nor [\"a\", \"b\"].");
        }
        var added = new Dictionary<int, AddedToken>();
        if (root.TryGetProperty("added_tokens", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var e in list.EnumerateArray())
            {
                if (!e.TryGetProperty("id", out var idElement) || !idElement.TryGetInt32(out var id)) throw new InvalidDataException($"{path}: an added token has no id.");
                added[id] = ReadAdded(path, e, id);
            }
        }
        foreach (var a in configAdded) added.TryAdd(a.Id, a);
        return new Qwen2Tokenizer(vocab, merges, [.. added.Values], eos, pad, path);
    }

    /// <summary>The normaliser, pre-tokenizer and decoder must be the Qwen ones this class implements.</summary>
    static void CheckPipeline(string path, JsonElement root)
    {
        if (root.TryGetProperty("normalizer", out var n) && n.ValueKind == JsonValueKind.Object)
        {
            var type = n.TryGetProperty("type", out var t) ? t.GetString() : null;
            if (type != "NFC") throw new NotSupportedException($"{path}: normalizer {type} is not supported (Qwen uses NFC).");
        }
        if (root.TryGetProperty("pre_tokenizer", out var pre) && pre.ValueKind == JsonValueKind.Object && !ContainsString(pre, QwenPreTokenizer.Pattern))
            throw new NotSupportedException($"{path}: the pre-tokenizer is not Qwen's split regex.");
    }

    static bool ContainsString(JsonElement e, string value) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString() == value,
        JsonValueKind.Object => e.EnumerateObject().Any(p => ContainsString(p.Value, value)),
        JsonValueKind.Array => e.EnumerateArray().Any(x => ContainsString(x, value)),
        _ => false,
    };

    /// <summary>Id of a token string (added token or vocabulary entry), or null.</summary>
    public int? TokenToId(string token) =>
        _addedByContent.TryGetValue(token, out var a) ? a.Id : _vocab.TryGetValue(token, out var id) ? id : null;

    /// <summary>Id of a token that must exist, e.g. "&lt;|image_pad|&gt;"; a clear error if the files lack it.</summary>
    public int RequireTokenId(string token) =>
        TokenToId(token) ?? throw new InvalidDataException($"the tokenizer files have no token \"{token}\".");

    public bool IsSpecial(int id) => _addedById.TryGetValue(id, out var a) && a.Special;

    /// <summary>The bytes a token stands for (UTF-8 of an added token's content).</summary>
    public byte[] TokenBytes(int id) =>
        _bytes.TryGetValue(id, out var b) ? b : throw new ArgumentOutOfRangeException(nameof(id), $"token id {id} is not in the vocabulary (size {Count}).");

    /// <summary>
    /// Bytes of a generated id for decoding: ids without a token (the embedding's padding rows past the tokenizer,
    /// e.g. 151669..151935) decode to nothing, as in the reference tokenizer.
    /// </summary>
    public ReadOnlySpan<byte> DecodeBytes(int id) => _bytes.TryGetValue(id, out var b) ? b : [];

    /// <summary>Encodes text: added tokens matched first, the rest NFC-normalised and byte-level BPE encoded.</summary>
    public List<int> Encode(string text)
    {
        var ids = new List<int>();
        var start = 0;
        var i = 0;
        while (i < text.Length)
        {
            var match = MatchAdded(text, i);
            if (match is null)
            {
                i++;
                continue;
            }
            EncodePlain(text.AsSpan(start, i - start), ids);
            ids.Add(match.Id);
            i += match.Content.Length;
            start = i;
        }
        EncodePlain(text.AsSpan(start), ids);
        return ids;
    }

    AddedToken? MatchAdded(string text, int i)
    {
        if (!_addedByFirstChar.TryGetValue(text[i], out var candidates)) return null;
        foreach (var a in candidates)                  // longest first
            if (string.CompareOrdinal(text, i, a.Content, 0, a.Content.Length) == 0) return a;
        return null;
    }

    void EncodePlain(ReadOnlySpan<char> segment, List<int> ids)
    {
        if (segment.IsEmpty) return;
        var normalized = segment.ToString().Normalize(NormalizationForm.FormC);
        ids.AddRange(_bpe.EncodeToIds(normalized));
    }

    /// <summary>Decodes ids to text (UTF-8, invalid bytes → U+FFFD), optionally dropping special tokens.</summary>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false)
    {
        var bytes = new List<byte>();
        foreach (var id in ids)
        {
            if (skipSpecialTokens && IsSpecial(id)) continue;
            bytes.AddRange(DecodeBytes(id));
        }
        return new UTF8Encoding(false, false).GetString(bytes.ToArray());
    }

    /// <summary>Vocabulary string of an id (byte-level form for regular tokens), or null.</summary>
    public string? IdToToken(int id) =>
        _addedById.TryGetValue(id, out var a) ? a.Content : _bytes.TryGetValue(id, out var b) ? ByteLevel.Encode(b) : null;

    public StreamingTextDecoder CreateStreamingDecoder(bool skipSpecialTokens = true) => new(this, skipSpecialTokens);
}
