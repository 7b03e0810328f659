using System.Text;

namespace ArrCoc.Qwen3VL.Tokenization;

/// <summary>
/// Turns generated ids into text pieces as they come: token bytes go through one UTF-8 decoder that keeps an
/// incomplete character until its last byte arrives, so a piece never ends in half a character; invalid bytes become
/// U+FFFD (Python's errors="replace").
/// </summary>
public sealed class StreamingTextDecoder
{
    readonly Qwen2Tokenizer _tokenizer;
    readonly bool _skipSpecialTokens;
    readonly Decoder _decoder = new UTF8Encoding(false, false).GetDecoder();
    readonly char[] _buffer = new char[1024];

    public StreamingTextDecoder(Qwen2Tokenizer tokenizer, bool skipSpecialTokens)
    {
        _tokenizer = tokenizer;
        _skipSpecialTokens = skipSpecialTokens;
    }

    /// <summary>The text that token <paramref name="id"/> completes (possibly empty).</summary>
    public string Push(int id)
    {
        if (_skipSpecialTokens && _tokenizer.IsSpecial(id)) return "";
        return Convert(_tokenizer.DecodeBytes(id).ToArray(), flush: false);
    }

    /// <summary>Whatever is left (an incomplete character becomes U+FFFD).</summary>
    public string Flush() => Convert([], flush: true);

    string Convert(byte[] bytes, bool flush)
    {
        var builder = new StringBuilder();
        var offset = 0;
        var completed = false;
        while (!completed)
        {
            _decoder.Convert(bytes, offset, bytes.Length - offset, _buffer, 0, _buffer.Length, flush, out var used, out var produced, out completed);
            builder.Append(_buffer, 0, produced);
            offset += used;
        }
        return builder.ToString();
    }
}
