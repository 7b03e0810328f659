using System.Text;
using System.Text.Json.Nodes;
using ArrCoc.Qwen3VL.Tokenization;

namespace ArrCoc.Qwen3VL.Fixture;

/// <summary>
/// A small byte-level BPE tokenizer in Qwen's format: the 256 byte tokens (id = byte value), merges learned
/// deterministically from a built-in English text, then Qwen3's 26 added tokens (same contents and special flags)
/// at the ids right after. Written as tokenizer.json, vocab.json, merges.txt and tokenizer_config.json.
/// </summary>
public static class TinyTokenizerFiles
{
    /// <summary>Qwen3's added tokens in id order, with their "special" flag (tokenizer.json of Qwen3).</summary>
    public static readonly (string Content, bool Special)[] QwenAddedTokens =
    [
        ("<|endoftext|>", true), ("<|im_start|>", true), ("<|im_end|>", true), ("<|object_ref_start|>", true),
        ("<|object_ref_end|>", true), ("<|box_start|>", true), ("<|box_end|>", true), ("<|quad_start|>", true),
        ("<|quad_end|>", true), ("<|vision_start|>", true), ("<|vision_end|>", true), ("<|vision_pad|>", true),
        ("<|image_pad|>", true), ("<|video_pad|>", true), ("<tool_call>", false), ("</tool_call>", false),
        ("<|fim_prefix|>", false), ("<|fim_middle|>", false), ("<|fim_suffix|>", false), ("<|fim_pad|>", false),
        ("<|repo_name|>", false), ("<|file_sep|>", false), ("<tool_response>", false), ("</tool_response>", false),
        ("<think>", false), ("</think>", false),
    ];

    const string Corpus =
        "What is in this image? Describe the image in detail. The picture shows a cat sitting on a red chair next to " +
        "the window. There is a dog in the garden and the sky is blue. What colour is the car? The car is red. How " +
        "many people are there in the photo? There are three people standing in front of the house. What is the " +
        "text on the sign? The sign says stop. Where is the ball? The ball is under the table. This is a photo of " +
        "a city street with tall buildings, cars and people walking. Answer the question about the image.\n" +
        "user assistant system image question answer the of and in is a to on with that this for it are there";

    /// <summary>Learns <paramref name="mergeCount"/> merges (most frequent pair first; ties by ordinal order of the pair).</summary>
    public static List<(string Left, string Right)> LearnMerges(int mergeCount)
    {
        var words = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (offset, length) in QwenPreTokenizer.Split(Corpus))
        {
            var word = ByteLevel.Encode(Encoding.UTF8.GetBytes(Corpus.Substring(offset, length)));
            words[word] = words.GetValueOrDefault(word) + 1;
        }
        var splits = words.ToDictionary(w => w.Key, w => w.Key.Select(c => c.ToString()).ToList(), StringComparer.Ordinal);
        var merges = new List<(string, string)>();
        while (merges.Count < mergeCount)
        {
            var counts = new Dictionary<(string, string), int>();
            foreach (var (word, freq) in words)
            {
                var symbols = splits[word];
                for (var i = 0; i + 1 < symbols.Count; i++)
                    counts[(symbols[i], symbols[i + 1])] = counts.GetValueOrDefault((symbols[i], symbols[i + 1])) + freq;
            }
            if (counts.Count == 0) break;
            var best = counts.OrderByDescending(p => p.Value)
                .ThenBy(p => p.Key.Item1, StringComparer.Ordinal)
                .ThenBy(p => p.Key.Item2, StringComparer.Ordinal).First().Key;
            merges.Add(best);
            foreach (var symbols in splits.Values)
                for (var i = 0; i + 1 < symbols.Count; i++)
                    if (symbols[i] == best.Item1 && symbols[i + 1] == best.Item2)
                    {
                        symbols[i] += symbols[i + 1];
                        symbols.RemoveAt(i + 1);
                    }
        }
        return merges;
    }

    public const int DefaultMergeCount = 240;

    static (Dictionary<string, int> Vocab, List<(string Left, string Right)> Merges) Build(int mergeCount)
    {
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var b = 0; b < 256; b++) vocab[ByteLevel.ByteToChar[b].ToString()] = b;
        var merges = LearnMerges(mergeCount);
        foreach (var (l, r) in merges) vocab.TryAdd(l + r, vocab.Count);
        return (vocab, merges);
    }

    /// <summary>Regular (byte + merged) tokens; the added tokens take the ids from here on.</summary>
    public static int RegularTokenCount(int mergeCount = DefaultMergeCount) => Build(mergeCount).Vocab.Count;

    /// <summary>Writes the four tokenizer files; returns the vocabulary (regular + added) size.</summary>
    public static int Write(string dir, int mergeCount = DefaultMergeCount)
    {
        var (vocab, merges) = Build(mergeCount);
        var added = QwenAddedTokens.Select((t, i) => (Id: vocab.Count + i, t.Content, t.Special)).ToList();

        var vocabJson = new JsonObject();
        foreach (var (token, id) in vocab.OrderBy(p => p.Value)) vocabJson[token] = id;
        var addedJson = new JsonArray();
        foreach (var a in added)
            addedJson.Add(new JsonObject
            {
                ["id"] = a.Id, ["content"] = a.Content, ["single_word"] = false, ["lstrip"] = false,
                ["rstrip"] = false, ["normalized"] = false, ["special"] = a.Special,
            });
        var byteLevel = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = false };
        var tokenizer = new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = addedJson,
            ["normalizer"] = new JsonObject { ["type"] = "NFC" },
            ["pre_tokenizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["pretokenizers"] = new JsonArray(
                    new JsonObject
                    {
                        ["type"] = "Split",
                        ["pattern"] = new JsonObject { ["Regex"] = QwenPreTokenizer.Pattern },
                        ["behavior"] = "Isolated",
                        ["invert"] = false,
                    },
                    byteLevel.DeepClone()),
            },
            ["post_processor"] = byteLevel.DeepClone(),
            ["decoder"] = byteLevel.DeepClone(),
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = null, ["continuing_subword_prefix"] = "",
                ["end_of_word_suffix"] = "", ["fuse_unk"] = false, ["byte_fallback"] = false, ["ignore_merges"] = false,
                ["vocab"] = vocabJson.DeepClone(),
                ["merges"] = new JsonArray(merges.Select(m => (JsonNode)new JsonArray(m.Left, m.Right)).ToArray()),
            },
        };
        FixtureJson.Write(Path.Combine(dir, "tokenizer.json"), tokenizer);
        FixtureJson.Write(Path.Combine(dir, "vocab.json"), vocabJson);
        File.WriteAllLines(Path.Combine(dir, "merges.txt"), new[] { "#version: 0.2" }.Concat(merges.Select(m => m.Left + " " + m.Right)));

        var decoder = new JsonObject();
        foreach (var a in added)
            decoder[a.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonObject
            {
                ["content"] = a.Content, ["lstrip"] = false, ["normalized"] = false, ["rstrip"] = false,
                ["single_word"] = false, ["special"] = a.Special,
            };
        var config = new JsonObject
        {
            ["add_bos_token"] = false,
            ["add_prefix_space"] = false,
            ["added_tokens_decoder"] = decoder,
            ["additional_special_tokens"] = new JsonArray(added.Where(a => a.Special && a.Content != "<|endoftext|>").Select(a => (JsonNode)a.Content).ToArray()),
            ["bos_token"] = null,
            ["clean_up_tokenization_spaces"] = false,
            ["eos_token"] = "<|im_end|>",
            ["errors"] = "replace",
            ["model_max_length"] = 262144,
            ["pad_token"] = "<|endoftext|>",
            ["split_special_tokens"] = false,
            ["tokenizer_class"] = "Qwen2Tokenizer",
            ["unk_token"] = null,
        };
        FixtureJson.Write(Path.Combine(dir, "tokenizer_config.json"), config);
        return vocab.Count + added.Count;
    }
}

internal static class FixtureJson
{
    static readonly System.Text.Json.JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(string path, JsonNode node) => File.WriteAllText(path, node.ToJsonString(Options) + "\n");
}
