using ArrCoc.Qwen3VL.Generation;
using ArrCoc.Qwen3VL.Text;
using static TorchSharp.torch;

namespace ArrCoc.Qwen3VL;

// Shapes: S prompt tokens with all M image tokens, K kept image tokens, S' = S − M + K, D text hidden.

/// <summary>
/// A prepared prompt reduced to a subset of its image tokens. Every kept image token keeps its original (t, h, w)
/// and every text token keeps its original positions, so the text after the image continues exactly where it did
/// in the full prompt; decoding continues at max(position) + 1. Keeping all M tokens reproduces the full prompt's
/// tensors exactly. Owns its tensors.
/// </summary>
public sealed class PrunedPrompt : IDisposable
{
    /// <summary>[1, S'] int64</summary>
    public required Tensor InputIds { get; init; }
    /// <summary>[1, S', D]</summary>
    public required Tensor InputsEmbeds { get; init; }
    /// <summary>[3, 1, S'] int64: the original positions of the kept tokens</summary>
    public required Tensor PositionIds { get; init; }
    /// <summary>[K] flat indices of the kept image tokens in the pruned prompt</summary>
    public required Tensor VisualPositions { get; init; }
    /// <summary>The kept rows of every DeepStack feature, each [K, D]</summary>
    public required IReadOnlyList<Tensor> Deepstack { get; init; }
    /// <summary>max(position) + 1 − S' (not the full prompt's delta)</summary>
    public required long RopeDelta { get; init; }

    public Prefill ToPrefill() => new(InputIds, InputsEmbeds, PositionIds, new VisualInjection(VisualPositions, Deepstack), RopeDelta);

    public void Dispose()
    {
        InputIds.Dispose();
        InputsEmbeds.Dispose();
        PositionIds.Dispose();
        VisualPositions.Dispose();
        foreach (var d in Deepstack) d.Dispose();
    }

    /// <summary>
    /// Keeps image tokens <paramref name="kept"/> (indices into the M merged tokens in raster order, strictly
    /// increasing) of <paramref name="prompt"/>. <paramref name="keptImageEmbeds"/> [K, D] replaces the kept rows of
    /// the image embeddings when given (e.g. rows carrying a gradient); otherwise they are selected from the vision
    /// output. Gradients flow from the result's InputsEmbeds to <paramref name="keptImageEmbeds"/>.
    /// </summary>
    public static PrunedPrompt KeepImageTokens(Qwen3VLModel model, PreparedPrompt prompt, IReadOnlyList<long> kept, Tensor? keptImageEmbeds = null)
    {
        if (prompt.Vision is null || prompt.VisualPositions is null)
            throw new ArgumentException("the prompt has no image tokens to keep.");
        if (prompt.InputIds.shape[0] != 1) throw new ArgumentException("pruning takes one sequence (batch 1).");
        var m = prompt.VisualPositions.shape[0];
        if (kept.Count == 0) throw new ArgumentOutOfRangeException(nameof(kept), "keep at least one image token.");
        for (var i = 0; i < kept.Count; i++)
            if (kept[i] < 0 || kept[i] >= m || (i > 0 && kept[i] <= kept[i - 1]))
                throw new ArgumentOutOfRangeException(nameof(kept), $"kept image tokens must be strictly increasing indices in [0, {m}); entry {i} is {kept[i]}.");
        if (keptImageEmbeds is not null && (keptImageEmbeds.dim() != 2 || keptImageEmbeds.shape[0] != kept.Count))
            throw new ArgumentException($"{kept.Count} kept image tokens but keptImageEmbeds has shape [{string.Join(", ", keptImageEmbeds.shape)}].");

        using var scope = NewDisposeScope();
        var device = prompt.InputIds.device;
        var s = prompt.InputIds.shape[1];
        var keptIndex = tensor(kept.ToArray(), ScalarType.Int64, device);                       // [K]
        var keep = ones(s, ScalarType.Bool, device);                                            // [S]
        keep.index_fill_(0, prompt.VisualPositions, false);
        keep.index_fill_(0, prompt.VisualPositions.index_select(0, keptIndex), true);
        var sequence = keep.nonzero().reshape(-1);                                              // [S']
        var ids = prompt.InputIds.index_select(1, sequence);                                    // [1, S']
        var positions = prompt.PositionIds.index_select(2, sequence);                           // [3, 1, S']
        var rows = keptImageEmbeds ?? prompt.Vision.ImageEmbeds.index_select(0, keptIndex);     // [K, D]
        var (embeds, visualPositions) = model.EmbedWithImages(ids, rows);                       // [1, S', D], [K]
        var deepstack = prompt.Vision.Deepstack.Select(d => d.index_select(0, keptIndex).MoveToOuterDisposeScope()).ToList();
        var delta = positions.max().item<long>() + 1 - sequence.shape[0];
        return new PrunedPrompt
        {
            InputIds = ids.MoveToOuterDisposeScope(),
            InputsEmbeds = embeds.MoveToOuterDisposeScope(),
            PositionIds = positions.MoveToOuterDisposeScope(),
            VisualPositions = visualPositions.MoveToOuterDisposeScope(),
            Deepstack = deepstack,
            RopeDelta = delta,
        };
    }
}
