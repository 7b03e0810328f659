using System.Diagnostics;
using ArrCoc.Core.Attending;
using ArrCoc.Core.Balancing;
using ArrCoc.Core.Knowing;
using ArrCoc.Core.Texture;
using static TorchSharp.torch;

namespace ArrCoc.Core;

/// <summary>
/// One call from an image tensor and a query embedding to every ARR-COC intermediate:
/// texture → three ways of knowing → balancer → top-K allocation.
/// Shapes: B images, 3 × H × W pixels, 13 channels, Gh × Gw cells, N = Gh·Gw, K kept, D query dimension.
/// Not thread-safe (the module holds weights); one pipeline per worker.
/// </summary>
public sealed class RelevancePipeline(ArrCocModel model)
{
    public ArrCocModel Model { get; } = model;

    /// <summary>Query dimension D the pipeline expects.</summary>
    public int QueryDim => Model.QueryDim;

    /// <summary>Run the pipeline, keeping tensors (with gradients where the learned parts are involved).</summary>
    /// <param name="image">[B, 3, H, W] sRGB in [0, 1], H and W multiples of 32.</param>
    /// <param name="query">[B, D] or [D] query embedding.</param>
    /// <param name="k">Cells to keep, 1..N.</param>
    /// <param name="ablation">Optional override of the balancer's weights.</param>
    public RelevanceTensors Forward(Tensor image, Tensor query, int k, BalancerOverride? ablation = null)
    {
        ablation ??= BalancerOverride.None;
        ablation.Validate();
        if (query.dim() == 1) query = query.unsqueeze(0);                   // [1, D]
        if (query.shape[^1] != QueryDim)
            throw new ArgumentException($"query embedding has {query.shape[^1]} dimensions; the ARR-COC weights expect D = {QueryDim}", nameof(query));
        if (image.dim() == 4 && query.shape[0] != image.shape[0])
            throw new ArgumentException($"{image.shape[0]} images but {query.shape[0]} query embeddings", nameof(query));
        if (image.dim() == 4)
        {
            int cells = (int)(image.shape[2] / TextureArray.CellPixels * (image.shape[3] / TextureArray.CellPixels));
            if (cells < 2)
                throw new ArgumentException($"the image makes {cells} cell(s) of {TextureArray.CellPixels} x {TextureArray.CellPixels} px; ARR-COC needs at least 2 (the balancer compares cells)", nameof(image));
            TokenAllocator.ValidateK(k, cells);
        }

        var timings = new Dictionary<string, double>();
        var total = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        var clock = Stopwatch.StartNew();

        var texture = TextureArray.Generate(image);                         // [B, 13, Gh, Gw]
        timings["texture"] = Lap(clock);

        var information = InformationScorer.Score(texture);                 // [B, Gh, Gw]
        var perspectival = PerspectivalScorer.Score(texture);               // [B, Gh, Gw]
        var participatory = Model.Participatory.forward(texture, query);    // [B, Gh, Gw]
        timings["knowing"] = Lap(clock);

        var maps = stack([information, perspectival, participatory], dim: 1).flatten(2); // [B, 3, N]
        var learned = Model.Balancer.forward(maps, query);                  // [B, 3]
        var weights = AdaptiveTensionBalancer.ApplyOverride(learned, ablation); // [B, 3]
        var balanced = AdaptiveTensionBalancer.Combine(maps, weights);      // [B, N]
        timings["balancing"] = Lap(clock);

        var kept = TokenAllocator.SelectTopK(balanced, k);                  // [B, K]
        var budgets = TokenAllocator.Budgets(balanced.detach().gather(1, kept)); // [B, K]
        timings["attending"] = Lap(clock);
        timings["total"] = total.Elapsed.TotalMilliseconds;

        return new RelevanceTensors
        {
            Texture = texture,
            Information = information,
            Perspectival = perspectival,
            Participatory = participatory,
            LearnedWeights = learned,
            Weights = weights,
            Balanced = balanced,
            Kept = kept,
            Budgets = budgets,
            TimingsMs = timings,
        }.MoveToOuterDisposeScope();
    }

    /// <summary>Run the pipeline for one image without gradients and return plain arrays.</summary>
    /// <param name="image">[1, 3, H, W] or [3, H, W].</param>
    /// <param name="query">[D].</param>
    public RelevanceResult Run(Tensor image, Tensor query, int k, BalancerOverride? ablation = null)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        if (image.dim() == 3) image = image.unsqueeze(0);                   // [1, 3, H, W]
        if (image.dim() != 4 || image.shape[0] != 1)
            throw new ArgumentException($"Run takes one image [1, 3, H, W]; got [{string.Join(", ", image.shape)}]", nameof(image));
        using var t = Forward(image, query, k, ablation);
        int rows = (int)t.Texture.shape[2], columns = (int)t.Texture.shape[3];
        var texture = t.Texture[0].flatten(1);                              // [13, N]
        return new RelevanceResult
        {
            Rows = rows,
            Columns = columns,
            Texture = Enumerable.Range(0, TextureChannels.Count).Select(c => Floats(texture[c])).ToArray(),
            Information = Floats(t.Information[0]),
            Perspectival = Floats(t.Perspectival[0]),
            Participatory = Floats(t.Participatory[0]),
            Balanced = Floats(t.Balanced[0]),
            LearnedWeights = Floats(t.LearnedWeights[0]),
            Weights = Floats(t.Weights[0]),
            Kept = t.Kept[0].to(ScalarType.Int32).data<int>().ToArray(),
            Budgets = t.Budgets[0].data<int>().ToArray(),
            TimingsMs = t.TimingsMs,
        };
    }

    static float[] Floats(Tensor t) => t.detach().contiguous().flatten().data<float>().ToArray();

    static double Lap(Stopwatch clock)
    {
        var ms = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        return ms;
    }
}
