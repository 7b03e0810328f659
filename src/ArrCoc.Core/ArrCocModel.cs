using ArrCoc.Core.Balancing;
using ArrCoc.Core.Knowing;
using ArrCoc.Core.Texture;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ArrCoc.Core;

/// <summary>
/// ARR-COC's learned parts: the participatory scorer and the balancer. Their state-dict keys are the seed's
/// (participatory_scorer.texture_proj.{0,2}.{weight,bias}, balancer.weight_predictor.{0,2,4}.{weight,bias}),
/// so checkpoints of the original PyTorch trainer load unchanged.
/// </summary>
public sealed class ArrCocModel : Module
{
    static readonly object SeedLock = new();

    private readonly ParticipatoryScorer participatory_scorer;
    private readonly AdaptiveTensionBalancer balancer;

    /// <summary>Build with weights initialised from <paramref name="seed"/> (PyTorch's default init, deterministic).</summary>
    public ArrCocModel(int queryDim, long seed) : base(nameof(ArrCocModel))
    {
        QueryDim = queryDim;
        // Module constructors draw from the global generator: seed it and build under a lock so that
        // concurrent construction elsewhere cannot interleave.
        lock (SeedLock)
        {
            random.manual_seed(seed);
            participatory_scorer = new ParticipatoryScorer(TextureChannels.Count, queryDim);
            balancer = new AdaptiveTensionBalancer(queryDim);
        }
        RegisterComponents();
    }

    /// <summary>Query dimension D (the language model's hidden size, e.g. 2048).</summary>
    public int QueryDim { get; }

    public ParticipatoryScorer Participatory => participatory_scorer;

    public AdaptiveTensionBalancer Balancer => balancer;

    /// <summary>Expected key → shape of every learned tensor, for a query dimension D.</summary>
    public static IReadOnlyDictionary<string, long[]> ExpectedShapes(int queryDim) => new SortedDictionary<string, long[]>(StringComparer.Ordinal)
    {
        ["participatory_scorer.texture_proj.0.weight"] = [ParticipatoryScorer.HiddenChannels, TextureChannels.Count, 1, 1],
        ["participatory_scorer.texture_proj.0.bias"] = [ParticipatoryScorer.HiddenChannels],
        ["participatory_scorer.texture_proj.2.weight"] = [queryDim, ParticipatoryScorer.HiddenChannels, 1, 1],
        ["participatory_scorer.texture_proj.2.bias"] = [queryDim],
        ["balancer.weight_predictor.0.weight"] = [AdaptiveTensionBalancer.HiddenDim, AdaptiveTensionBalancer.SummaryDim + queryDim],
        ["balancer.weight_predictor.0.bias"] = [AdaptiveTensionBalancer.HiddenDim],
        ["balancer.weight_predictor.2.weight"] = [AdaptiveTensionBalancer.HiddenDim, AdaptiveTensionBalancer.HiddenDim],
        ["balancer.weight_predictor.2.bias"] = [AdaptiveTensionBalancer.HiddenDim],
        ["balancer.weight_predictor.4.weight"] = [WaysOfKnowing.Count, AdaptiveTensionBalancer.HiddenDim],
        ["balancer.weight_predictor.4.bias"] = [WaysOfKnowing.Count],
    };
}
