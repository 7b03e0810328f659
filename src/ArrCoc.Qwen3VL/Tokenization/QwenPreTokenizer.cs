using System.Buffers;
using System.Globalization;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace ArrCoc.Qwen3VL.Tokenization;

/// <summary>
/// Qwen2/Qwen3's pre-tokenizer split, written as a scanner over Unicode code points so that characters outside the
/// Basic Multilingual Plane are classified like the reference regex engines do (.NET's Regex sees UTF-16 code
/// units, where a surrogate half is neither \p{L} nor \p{N}). It implements, with leftmost-first alternation:
/// <code>(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+</code>
/// Every character belongs to some match, so the pieces tile the text.
/// </summary>
public sealed class QwenPreTokenizer : PreTokenizer
{
    /// <summary>The pattern (tokenizer.json pre_tokenizer Split regex) this scanner implements.</summary>
    public const string Pattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    public static readonly QwenPreTokenizer Instance = new();

    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text)
    {
        if (string.IsNullOrEmpty(text)) return [];
        return Split(text.AsSpan());
    }

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty) return [];
        return Split(text);
    }

    /// <summary>The (offset, length) pieces of <paramref name="text"/> in UTF-16 units.</summary>
    public static List<(int Offset, int Length)> Split(ReadOnlySpan<char> text)
    {
        var pieces = new List<(int, int)>();
        var i = 0;
        while (i < text.Length)
        {
            var end = MatchAt(text, i);
            pieces.Add((i, end - i));
            i = end;
        }
        return pieces;
    }

    static int MatchAt(ReadOnlySpan<char> s, int i)
    {
        var (c, cLen) = RuneAt(s, i);

        // 1. contractions, case-insensitive ('ſ' folds to 's' under Unicode case folding).
        if (c.Value == '\'' && i + 1 < s.Length)
        {
            var a = char.ToLowerInvariant(s[i + 1]);
            if (a is 's' or 't' or 'm' or 'd' or 'ſ') return i + 2;
            if (i + 2 < s.Length)
            {
                var b = char.ToLowerInvariant(s[i + 2]);
                if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) return i + 3;
            }
        }

        // 2. [^\r\n\p{L}\p{N}]?\p{L}+
        if (IsLetter(c)) return LetterRun(s, i + cLen);
        if (c.Value is not ('\r' or '\n') && !IsNumber(c) && i + cLen < s.Length && IsLetter(RuneAt(s, i + cLen).Rune))
            return LetterRun(s, i + cLen);

        // 3. \p{N}: a single digit/number character.
        if (IsNumber(c)) return i + cLen;

        // 4. ' ?[^\s\p{L}\p{N}]+[\r\n]*'
        var k = c.Value == ' ' ? i + 1 : i;
        if (k < s.Length && IsOther(RuneAt(s, k).Rune))
        {
            while (k < s.Length)
            {
                var (r, len) = RuneAt(s, k);
                if (!IsOther(r)) break;
                k += len;
            }
            while (k < s.Length && s[k] is '\r' or '\n') k++;
            return k;
        }

        // 5-7. whitespace runs (all whitespace characters are in the BMP).
        var e = i;
        while (e < s.Length && char.IsWhiteSpace(s[e])) e++;
        // 5. \s*[\r\n]+ : up to and including the last line break of the run.
        for (var q = e - 1; q >= i; q--)
            if (s[q] is '\r' or '\n') return q + 1;
        // 6. \s+(?!\S) : the run, minus its last character when a non-space follows.
        if (e == s.Length) return e;
        if (e - i >= 2) return e - 1;
        // 7. \s+
        return e;
    }

    static int LetterRun(ReadOnlySpan<char> s, int k)
    {
        while (k < s.Length)
        {
            var (r, len) = RuneAt(s, k);
            if (!IsLetter(r)) break;
            k += len;
        }
        return k;
    }

    static (Rune Rune, int Length) RuneAt(ReadOnlySpan<char> s, int i) =>
        Rune.DecodeFromUtf16(s[i..], out var rune, out var consumed) == OperationStatus.Done
            ? (rune, consumed)
            : (Rune.ReplacementChar, 1);   // lone surrogate: "other", one code unit

    static bool IsLetter(Rune r) => Rune.GetUnicodeCategory(r) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
        or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter;

    static bool IsNumber(Rune r) => Rune.GetUnicodeCategory(r) is UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;

    static bool IsOther(Rune r) => !Rune.IsWhiteSpace(r) && !IsLetter(r) && !IsNumber(r);
}
