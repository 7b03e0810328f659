using System.Text;
using System.Text.Json;
using ArrCoc.Qwen3VL.Tokenization;

namespace ArrCoc.Qwen3VL.Tests;

/// <summary>The real Qwen3 tokenizer files: encodings against an independent implementation, round trips, added tokens.</summary>
public sealed class TokenizerTests
{
    static readonly Lazy<Qwen2Tokenizer> Real = new(() => Qwen2Tokenizer.FromDirectory(TestPaths.Qwen3TokenizerDir));

    public static TheoryData<int> GoldenIndexes()
    {
        var data = new TheoryData<int>();
        using var doc = JsonDocument.Parse(File.ReadAllBytes(TestPaths.DataFile("qwen3-tokenizer-golden.json")));
        for (var i = 0; i < doc.RootElement.GetArrayLength(); i++) data.Add(i);
        return data;
    }

    static (string Text, int[] Ids) Golden(int index)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(TestPaths.DataFile("qwen3-tokenizer-golden.json")));
        var e = doc.RootElement[index];
        return (e.GetProperty("text").GetString()!, e.GetProperty("ids").EnumerateArray().Select(x => x.GetInt32()).ToArray());
    }

    [Theory]
    [MemberData(nameof(GoldenIndexes))]
    public void Encode_GoldenText_MatchesIndependentImplementation(int index)
    {
        var (text, expected) = Golden(index);
        Assert.Equal(expected, Real.Value.Encode(text));
    }

    [Theory]
    [MemberData(nameof(GoldenIndexes))]
    public void Decode_EncodedGoldenText_RoundTripsToNfc(int index)
    {
        var (text, _) = Golden(index);
        var ids = Real.Value.Encode(text);
        Assert.Equal(text.Normalize(NormalizationForm.FormC), Real.Value.Decode(ids));
    }

    [Fact]
    public void Encode_SeededRandomMixes_MatchIndependentImplementation()
    {
        // 373 random concatenations of words, digits, punctuation, whitespace runs, added tokens and look-alikes,
        // emoji sequences, combining marks, CJK/RTL/Indic scripts and letters outside the BMP.
        using var doc = JsonDocument.Parse(File.ReadAllBytes(TestPaths.DataFile("qwen3-tokenizer-fuzz.json")));
        var mismatches = new List<string>();
        foreach (var e in doc.RootElement.EnumerateArray())
        {
            var text = e.GetProperty("text").GetString()!;
            var expected = e.GetProperty("ids").EnumerateArray().Select(x => x.GetInt32()).ToList();
            var actual = Real.Value.Encode(text);
            if (!expected.SequenceEqual(actual)) mismatches.Add($"{JsonSerializer.Serialize(text)}: expected [{string.Join(",", expected)}], got [{string.Join(",", actual)}]");
        }
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {doc.RootElement.GetArrayLength()} differ:\n" + string.Join("\n", mismatches.Take(5)));
    }

    [Fact]
    public void PreTokenizer_NextLine_IsWhitespaceLikeUnicodeRegex()
    {
        // U+0085 is White_Space (Rust regex / Oniguruma \s, which the reference tokenizer uses), unlike JavaScript's \s.
        var pieces = QwenPreTokenizer.Split("a \u0085 b").Select(p => p.Length).ToArray();
        Assert.Equal([1, 2, 2], pieces);
    }

    [Fact]
    public void Encode_DocumentedExamples_GiveKnownIds()
    {
        Assert.Equal([9707, 1879], Real.Value.Encode("Hello world"));
        Assert.Equal([21927, 1879], Real.Value.Encode(" Hello world"));
    }

    [Fact]
    public void SpecialIds_ComeFromTheFiles()
    {
        var t = Real.Value;
        Assert.Equal(151645, t.EosTokenId);
        Assert.Equal(151643, t.PadTokenId);
        Assert.Equal(151655, t.RequireTokenId("<|image_pad|>"));
        Assert.True(t.IsSpecial(151645));
        Assert.False(t.IsSpecial(t.RequireTokenId("<think>")));
        Assert.Equal(151669, t.Count);
    }

    [Fact]
    public void Decode_SkipSpecialTokens_DropsOnlySpecialOnes()
    {
        var t = Real.Value;
        var ids = t.Encode("<|im_start|>assistant\n<think>\nok</think><|im_end|>");
        Assert.Equal("assistant\n<think>\nok</think>", t.Decode(ids, skipSpecialTokens: true));
        Assert.Equal("<|im_start|>assistant\n<think>\nok</think><|im_end|>", t.Decode(ids));
    }

    [Fact]
    public void StreamingDecoder_MultiByteCharactersSplitAcrossTokens_NeverEmitsHalfACharacter()
    {
        var t = Real.Value;
        const string text = "emoji 😀🎉 𝐀 中文";
        var ids = t.Encode(text);
        var decoder = t.CreateStreamingDecoder();
        var pieces = ids.Select(decoder.Push).ToList();
        pieces.Add(decoder.Flush());
        Assert.Equal(text, string.Concat(pieces));
        foreach (var piece in pieces)
        {
            Assert.DoesNotContain('\uFFFD', piece);
            if (piece.Length > 0) Assert.False(char.IsHighSurrogate(piece[^1]), $"piece \"{piece}\" ends in half a surrogate pair");
        }
        // The emoji is split over several tokens: some pieces must be empty while its bytes accumulate.
        Assert.Contains("", pieces);
    }

    [Fact]
    public void StreamingDecoder_TruncatedCharacterAtEnd_FlushesReplacementCharacter()
    {
        var t = Real.Value;
        var ids = t.Encode("𝟙");                 // four UTF-8 bytes over three tokens
        Assert.True(ids.Count > 1);
        var decoder = t.CreateStreamingDecoder();
        var first = decoder.Push(ids[0]);
        Assert.Equal("", first);
        Assert.Equal("\uFFFD", decoder.Flush());
    }

    [Fact]
    public void VocabAndMergesFiles_LoadLikeTokenizerJson()
    {
        // Write vocab.json + merges.txt + tokenizer_config.json from tokenizer.json and compare encodings.
        using var dir = new TempDirectory();
        using (var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(TestPaths.Qwen3TokenizerDir, "tokenizer.json"))))
        {
            var model = doc.RootElement.GetProperty("model");
            File.WriteAllText(dir.File("vocab.json"), model.GetProperty("vocab").GetRawText());
            var lines = new List<string> { "#version: 0.2" };
            lines.AddRange(model.GetProperty("merges").EnumerateArray().Select(m => m[0].GetString() + " " + m[1].GetString()));
            File.WriteAllLines(dir.File("merges.txt"), lines);
        }
        File.Copy(Path.Combine(TestPaths.Qwen3TokenizerDir, "tokenizer_config.json"), dir.File("tokenizer_config.json"));
        var fromFiles = Qwen2Tokenizer.FromDirectory(dir.Path);
        const string text = "<|im_start|>user\nI'm 12 😀 𝐀𝐁 <think>x</think><|im_end|>";
        Assert.Equal(Real.Value.Encode(text), fromFiles.Encode(text));
        Assert.Equal(Real.Value.EosTokenId, fromFiles.EosTokenId);
    }

    [Theory]
    [InlineData("𝐀𝐁𝐂", new[] { "𝐀𝐁𝐂" })]
    [InlineData(" 𝑥1", new[] { " 𝑥", "1" })]
    [InlineData("a  b", new[] { "a", " ", " b" })]
    [InlineData("x\n\n y", new[] { "x", "\n\n", " y" })]
    [InlineData("don't", new[] { "don", "'t" })]
    [InlineData("x'LL", new[] { "x", "'LL" })]
    [InlineData("123", new[] { "1", "2", "3" })]
    [InlineData(" ...\n\n", new[] { " ...\n\n" })]
    [InlineData("end   ", new[] { "end", "   " })]
    [InlineData("😀😀", new[] { "😀😀" })]
    public void PreTokenizer_Pieces_FollowQwenRegexOnCodePoints(string text, string[] expected)
    {
        var pieces = QwenPreTokenizer.Split(text).Select(p => text.Substring(p.Offset, p.Length)).ToArray();
        Assert.Equal(expected, pieces);
    }
}
