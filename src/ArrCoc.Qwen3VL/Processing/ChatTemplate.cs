using ArrCoc.Qwen3VL.Tokenization;

namespace ArrCoc.Qwen3VL.Processing;

/// <summary>
/// The Qwen3-VL Instruct chat template for one user turn (no system message: the Qwen3-VL templates add none) and the
/// generation prompt, and its tokenisation with the image placeholder expanded to the grid's merged-token count, as
/// Qwen3VLProcessor does before tokenising.
/// </summary>
public static class ChatTemplate
{
    public const string ImagePad = "<|image_pad|>";
    public const string VisionStart = "<|vision_start|>";
    public const string VisionEnd = "<|vision_end|>";

    /// <summary>
    /// "&lt;|im_start|&gt;user\n[&lt;|vision_start|&gt;&lt;|image_pad|&gt;&lt;|vision_end|&gt;]Q&lt;|im_end|&gt;\n&lt;|im_start|&gt;assistant\n"
    /// </summary>
    public static string Render(string question, bool withImage) =>
        "<|im_start|>user\n" + (withImage ? VisionStart + ImagePad + VisionEnd : "") + question + "<|im_end|>\n<|im_start|>assistant\n";

    /// <summary>
    /// Token ids of the rendered prompt with the single &lt;|image_pad|&gt; replaced by <paramref name="imagePadCount"/>
    /// copies (0 = text-only prompt).
    /// </summary>
    public static List<int> Tokenize(Qwen2Tokenizer tokenizer, string question, int imagePadCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(imagePadCount);
        var text = Render(question, imagePadCount > 0);
        if (imagePadCount > 0)
            text = text.Replace(ImagePad, string.Concat(Enumerable.Repeat(ImagePad, imagePadCount)), StringComparison.Ordinal);
        var ids = tokenizer.Encode(text);
        var padId = tokenizer.RequireTokenId(ImagePad);
        var pads = ids.Count(id => id == padId);
        if (pads != imagePadCount)
            throw new ArgumentException($"the prompt has {pads} {ImagePad} tokens but the image needs {imagePadCount}: the question must not contain {ImagePad}.");
        return ids;
    }
}
