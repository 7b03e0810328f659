using ArrCoc.Engine.Analysis;

namespace ArrCoc.Microscope.Components.Views;

/// <summary>One query's balancer weights (information, perspectival, participatory): used, and learned before ablation.</summary>
public sealed record WeightSeries(string Label, IReadOnlyList<float> Weights, IReadOnlyList<float> Learned)
{
    public static WeightSeries Of(AnalysisResult result, string? label = null) =>
        new(label ?? result.Question, result.Relevance.Weights, result.Relevance.LearnedWeights);

    public bool Ablated => !Weights.SequenceEqual(Learned);
}
