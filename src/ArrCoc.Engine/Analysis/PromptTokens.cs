namespace ArrCoc.Engine.Analysis;

/// <summary>
/// One prompt as the language model saw it: token ids and text, their M-RoPE (t, h, w) and, for image tokens, the
/// grid cell (row·Columns + column) they come from. Plain arrays, in prompt order.
/// </summary>
/// <param name="Ids">[L] token ids.</param>
/// <param name="Texts">[L] each token as text (special tokens included, e.g. "&lt;|image_pad|&gt;").</param>
/// <param name="Positions">[L] (t, h, w) per token.</param>
/// <param name="Cells">[L] grid cell of image tokens; null for text tokens.</param>
public sealed record PromptTokens(long[] Ids, string[] Texts, (long T, long H, long W)[] Positions, int?[] Cells)
{
    public int Count => Ids.Length;

    public int ImageTokens => Cells.Count(c => c is not null);

    /// <summary>The same prompt with only the image tokens of <paramref name="kept"/> cells (text tokens all stay).</summary>
    public PromptTokens KeepCells(IReadOnlyCollection<int> kept)
    {
        var set = kept as IReadOnlySet<int> ?? kept.ToHashSet();
        var keep = Enumerable.Range(0, Count).Where(i => Cells[i] is not { } cell || set.Contains(cell)).ToArray();
        return new PromptTokens(keep.Select(i => Ids[i]).ToArray(), keep.Select(i => Texts[i]).ToArray(),
            keep.Select(i => Positions[i]).ToArray(), keep.Select(i => Cells[i]).ToArray());
    }
}
