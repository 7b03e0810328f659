using ArrCoc.Engine.Analysis;

namespace ArrCoc.Microscope.Components.Views;

/// <summary>Views 2-5: the three ways of knowing and the balanced map.</summary>
public enum MapKind { Information, Perspectival, Participatory, Balanced }

/// <summary>What each map view shows and how it is named (registry name = PNG file name, as `arrcoc analyze` writes).</summary>
public sealed record MapDescriptor(string Title, string Registry, string TestId, string Description, bool ShowsQuery, Func<AnalysisResult, float[]> Select)
{
    public static MapDescriptor Of(MapKind kind) => kind switch
    {
        MapKind.Information => new("Information", "knowing.information", "view-information",
            "entropy of the softmax over each cell's 13 texture channels, min-max normalised: where the texture is varied", false,
            r => r.Relevance.Information),
        MapKind.Perspectival => new("Perspectival", "knowing.perspectival", "view-perspectival",
            "Sobel magnitude of each cell: what stands out (edges and contrast)", false,
            r => r.Relevance.Perspectival),
        MapKind.Participatory => new("Participatory", "knowing.participatory", "view-participatory",
            "cosine of the learned texture projection with the query embedding, (s + 1) / 2: what the question is about", true,
            r => r.Relevance.Participatory),
        MapKind.Balanced => new("Balanced relevance", "relevance.balanced", "view-balanced",
            "Σ weight · map with the balancer's weights, min-max normalised: the map that decides which cells are kept", true,
            r => r.Relevance.Balanced),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
