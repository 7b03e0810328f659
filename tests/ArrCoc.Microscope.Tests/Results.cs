using ArrCoc.Core;
using ArrCoc.Core.Balancing;
using ArrCoc.Core.Texture;
using ArrCoc.Engine.Analysis;
using ArrCoc.Engine.Service;

namespace ArrCoc.Microscope.Tests;

/// <summary>Result records built by hand (no tensors): what the views render from.</summary>
internal static class Results
{
    /// <summary>A rows × columns analysis whose balanced score rises with the cell index, keeping the last k cells.</summary>
    public static AnalysisResult Analysis(int rows = 4, int columns = 5, int k = 3, string question = "Where is the ball?", float[]? weights = null)
    {
        int n = rows * columns;
        float Ramp(int i) => n == 1 ? 1 : (float)i / (n - 1);
        var balanced = Enumerable.Range(0, n).Select(Ramp).ToArray();
        var kept = Enumerable.Range(n - k, k).ToArray();
        weights ??= [0.2f, 0.3f, 0.5f];
        return new AnalysisResult
        {
            Question = question,
            K = k,
            ImageName = "test.png",
            OriginalWidth = columns * 32,
            OriginalHeight = rows * 32,
            Relevance = new RelevanceResult
            {
                Rows = rows,
                Columns = columns,
                Texture = Enumerable.Range(0, TextureChannels.Count).Select(c => Enumerable.Range(0, n).Select(i => (c * 0.05f + Ramp(i)) % 1).ToArray()).ToArray(),
                Information = Enumerable.Range(0, n).Select(i => 1 - Ramp(i)).ToArray(),
                Perspectival = balanced.Select(b => b / 2).ToArray(),
                Participatory = Enumerable.Repeat(0.5f, n).ToArray(),
                Balanced = balanced,
                LearnedWeights = weights,
                Weights = weights,
                Kept = kept,
                Budgets = kept.Select(i => (int)Math.Round(64 + 336 * balanced[i])).ToArray(),
                TimingsMs = new Dictionary<string, double> { ["texture"] = 1 },
            },
            QueryEmbeddingSource = "fallback",
            QueryVector = [1f],
            Checkpoint = "untrained (seed 0)",
            Untrained = true,
            Ablation = BalancerOverride.None,
            TimingsMs = new Dictionary<string, double> { ["total"] = 1 },
        };
    }

    /// <summary>A prompt table: 2 text tokens, the kept cells' image tokens at (2, 2 + row, 2 + column), 1 text token.</summary>
    public static PositionTable Positions(AnalysisResult result)
    {
        var tokens = new List<TokenPosition> { new(0, "<|im_start|>", 0, 0, 0), new(1, "<|vision_start|>", 1, 1, 1) };
        foreach (var cell in result.Relevance.Kept)
            tokens.Add(new TokenPosition(tokens.Count, "<|image_pad|>", 2, 2 + cell / result.Columns, 2 + cell % result.Columns, cell));
        tokens.Add(new TokenPosition(tokens.Count, "Where", 7, 7, 7));
        return new PositionTable(result.Rows, result.Columns, tokens);
    }

    public static ImageHandle Image(int rows = 4, int columns = 5) => new()
    {
        Id = Guid.NewGuid(), Name = "test.png", Format = "PNG", OriginalWidth = columns * 32, OriginalHeight = rows * 32,
        Rows = rows, Columns = columns, DecodeMs = 1, DisplayPng = [],
    };
}
