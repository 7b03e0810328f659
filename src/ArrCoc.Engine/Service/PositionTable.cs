namespace ArrCoc.Engine.Service;

/// <summary>One prompt token and its M-RoPE position (t, h, w); image tokens also name their grid cell.</summary>
/// <param name="Index">Position in the prompt's token sequence.</param>
/// <param name="Text">The token as text (e.g. "&lt;|image_pad|&gt;", "What").</param>
/// <param name="Cell">Grid cell (row·Columns + column) of an image token; null for text tokens.</param>
public sealed record TokenPosition(int Index, string Text, int T, int H, int W, int? Cell = null)
{
    public bool IsImage => Cell is not null;
}

/// <summary>
/// A prompt's whole M-RoPE position table (view 8): text tokens and the image tokens that were given to the model,
/// each at the (t, h, w) it has in the full prompt, on a grid of <see cref="Rows"/> × <see cref="Columns"/> cells.
/// </summary>
public sealed record PositionTable(int Rows, int Columns, IReadOnlyList<TokenPosition> Tokens)
{
    /// <summary>The table of a prompt (e.g. <see cref="Analysis.AnalysisResult.Prompt"/>) on a grid of rows × columns cells.</summary>
    public static PositionTable From(Analysis.PromptTokens prompt, int rows, int columns) =>
        new(rows, columns, Enumerable.Range(0, prompt.Count).Select(i => new TokenPosition(i, prompt.Texts[i],
            (int)prompt.Positions[i].T, (int)prompt.Positions[i].H, (int)prompt.Positions[i].W, prompt.Cells[i])).ToArray());

    /// <summary>The image tokens, in prompt order.</summary>
    public IEnumerable<TokenPosition> ImageTokens => Tokens.Where(t => t.IsImage);

    /// <summary>Position of the image token of a cell, or null when that cell's token is not in the prompt.</summary>
    public TokenPosition? ForCell(int cell) => Tokens.FirstOrDefault(t => t.Cell == cell);

    /// <summary>
    /// The (t, h, w) a cell's image token has in the full prompt, given or not: Qwen3-VL places the image at
    /// (s, s + row, s + column) with s its start offset, which every image token in the table carries as its t.
    /// Null when the table has no image token to read s from.
    /// </summary>
    public (int T, int H, int W)? FullPromptPosition(int cell)
    {
        if (cell < 0 || cell >= Rows * Columns || ImageTokens.FirstOrDefault() is not { } any) return null;
        int s = any.T;
        return (s, s + cell / Columns, s + cell % Columns);
    }
}
