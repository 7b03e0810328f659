using ArrCoc.Qwen3VL.Config;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Embedding = ArrCoc.Qwen3VL.Nn.Embedding;

namespace ArrCoc.Qwen3VL.Text;

// Shapes: B batch, S new tokens, P tokens already in the cache, T = P + S, D hidden, V vocabulary,
// Nv visual tokens among the B·S new tokens.

/// <summary>
/// Where the visual tokens sit in a prefill and what DeepStack adds there. <see cref="Positions"/> are flat indices
/// into the B·S new tokens (batch-major), in the order of the rows of every DeepStack tensor.
/// </summary>
public sealed record VisualInjection(Tensor Positions, IReadOnlyList<Tensor> Deepstack)
{
    /// <summary>From a [B, S] boolean mask (transformers' visual_pos_masks): its true positions in order.</summary>
    public static VisualInjection FromMask(Tensor visualPosMask, IReadOnlyList<Tensor> deepstack)
    {
        using var flat = visualPosMask.reshape(-1);
        var positions = flat.nonzero().reshape(-1);
        foreach (var d in deepstack)
            if (d.shape[0] != positions.shape[0])
                throw new ArgumentException($"{positions.shape[0]} visual positions but a DeepStack tensor has {d.shape[0]} rows.");
        return new VisualInjection(positions, deepstack);
    }
}

/// <summary>transformers' Qwen3VLTextModel (checkpoint prefix model.language_model): the decoder without the head.</summary>
public sealed class Qwen3VLTextModel : nn.Module
{
    readonly Embedding embed_tokens;
    readonly ModuleList<Qwen3VLTextDecoderLayer> layers;
    readonly Qwen3VLTextRMSNorm norm;
    readonly Qwen3VLTextRotaryEmbedding rotary_emb;

    readonly Qwen3VLTextConfig _config;

    public Qwen3VLTextModel(Qwen3VLTextConfig config, Device device, ScalarType dtype) : base(nameof(Qwen3VLTextModel))
    {
        _config = config;
        embed_tokens = new Embedding(config.VocabSize, config.HiddenSize, device, dtype);
        layers = new ModuleList<Qwen3VLTextDecoderLayer>(Enumerable.Range(0, config.NumHiddenLayers).Select(i => new Qwen3VLTextDecoderLayer(config, i, device, dtype)).ToArray());
        norm = new Qwen3VLTextRMSNorm(config.HiddenSize, config.RmsNormEps, device, dtype);
        rotary_emb = new Qwen3VLTextRotaryEmbedding(config, device);
        RegisterComponents();
    }

    public Qwen3VLTextConfig Config => _config;

    /// <summary>The input embedding matrix [V, D] (also the output head when tied).</summary>
    public Tensor EmbedWeight => embed_tokens.Weight;

    /// <param name="inputIds">[B, S] int64</param>
    /// <returns>[B, S, D]</returns>
    public Tensor EmbedTokens(Tensor inputIds)
    {
        using var ids = inputIds.to(ScalarType.Int64);
        using var tooLarge = ids.ge(_config.VocabSize).any();
        using var negative = ids.lt(0).any();
        if (tooLarge.item<bool>() || negative.item<bool>())
            throw new ArgumentException($"input ids must lie in [0, {_config.VocabSize}).");
        return embed_tokens.forward(ids);
    }

    /// <summary>
    /// Runs the decoder. Gradients flow to <paramref name="inputsEmbeds"/> unless the caller disables them.
    /// </summary>
    /// <param name="inputsEmbeds">[B, S, D] (image rows already scattered in)</param>
    /// <param name="positionIds">[3, B, S] int64 (t, h, w), e.g. from get_rope_index or hand-made for a pruned prompt</param>
    /// <param name="cache">KV cache holding P earlier tokens (extended in place), or null</param>
    /// <param name="attentionMask">[B, T] with 1 for real tokens and 0 for padding, or null (no padding)</param>
    /// <param name="visual">DeepStack injection after layers 0, 1, …, or null (text-only / decoding steps)</param>
    /// <returns>last hidden state after the final norm, [B, S, D]</returns>
    public Tensor forward(Tensor inputsEmbeds, Tensor positionIds, KvCache? cache = null, Tensor? attentionMask = null, VisualInjection? visual = null)
    {
        if (inputsEmbeds.dim() != 3 || inputsEmbeds.shape[2] != _config.HiddenSize)
            throw new ArgumentException($"inputs_embeds must be [B, S, {_config.HiddenSize}], got [{string.Join(", ", inputsEmbeds.shape)}].");
        var (b, s) = (inputsEmbeds.shape[0], inputsEmbeds.shape[1]);
        if (positionIds.dim() != 3 || positionIds.shape[0] != 3 || positionIds.shape[1] != b || positionIds.shape[2] != s)
            throw new ArgumentException($"position_ids must be [3, {b}, {s}], got [{string.Join(", ", positionIds.shape)}].");
        var past = cache?.SeqLength ?? 0;
        if (attentionMask is not null && (attentionMask.dim() != 2 || attentionMask.shape[0] != b || attentionMask.shape[1] != past + s))
            throw new ArgumentException($"attention_mask must be [{b}, {past + s}] (cached + new tokens), got [{string.Join(", ", attentionMask.shape)}].");
        if (visual is not null && visual.Deepstack.Count > layers.Count)
            throw new ArgumentException($"{visual.Deepstack.Count} DeepStack tensors but only {layers.Count} decoder layers.");

        using var scope = NewDisposeScope();
        var rotary = rotary_emb.forward(positionIds, inputsEmbeds.dtype);                 // cos, sin [B, S, Dh]
        var mask = BuildMask(b, s, past, attentionMask, inputsEmbeds.device);
        var h = inputsEmbeds;
        for (var i = 0; i < layers.Count; i++)
        {
            var previous = h;
            h = layers[i].forward(h, rotary, mask, cache);                               // [B, S, D]
            if (visual is not null && i < visual.Deepstack.Count)
            {
                // h[visual] += deepstack_i (same row order as the image embeddings)
                using var flat = h.reshape(b * s, -1);
                using var added = visual.Deepstack[i].to(h.dtype);
                var injected = flat.index_add(0, visual.Positions, added, 1).view(b, s, -1);
                h.Dispose();
                h = injected;
            }
            // Without autograd nothing needs the earlier activations: free them layer by layer.
            if (!is_grad_enabled() && !ReferenceEquals(previous, inputsEmbeds)) previous.Dispose();
        }
        return norm.forward(h).MoveToOuterDisposeScope();
    }

    /// <summary>Causal (+ padding) mask: key j visible to new token i iff j ≤ P + i and key j is not padding.</summary>
    static AttentionMask BuildMask(long b, long s, long past, Tensor? attentionMask, Device device)
    {
        if (attentionMask is null && (past == 0 || s == 1))
            return s == 1 ? new AttentionMask((Tensor?)null) : AttentionMask.Causal;
        var t = past + s;
        var query = arange(past, t, device: device).view(s, 1);                          // [S, 1]
        var key = arange(t, device: device).view(1, t);                                   // [1, T]
        var allowed = key.le(query).view(1, 1, s, t);                                     // [1, 1, S, T]
        if (attentionMask is not null)
        {
            var real = attentionMask.to(ScalarType.Bool, device).view(b, 1, 1, t);
            // A padding query still sees itself, so no row is empty (its output is never used).
            allowed = (allowed & real) | key.eq(query).view(1, 1, s, t);
        }
        return new AttentionMask(allowed.expand(b, 1, s, t));
    }
}
