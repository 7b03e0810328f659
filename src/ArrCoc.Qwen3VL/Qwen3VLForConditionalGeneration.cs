using ArrCoc.Qwen3VL.Config;
using ArrCoc.Qwen3VL.Safetensors;
using ArrCoc.Qwen3VL.Text;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;
using Linear = ArrCoc.Qwen3VL.Nn.Linear;

namespace ArrCoc.Qwen3VL;

// Shapes: B batch, S tokens, D text hidden, V vocabulary.

/// <summary>Logits of a forward plus the rope deltas the decoding steps need.</summary>
public sealed record Qwen3VLForwardOutput(Tensor Logits, Tensor PositionIds, Tensor RopeDeltas) : IDisposable
{
    public void Dispose()
    {
        Logits.Dispose();
        PositionIds.Dispose();
        RopeDeltas.Dispose();
    }
}

/// <summary>
/// transformers' Qwen3VLForConditionalGeneration: "model" (vision tower + decoder) and "lm_head". With
/// tie_word_embeddings (2B, 4B) there is no lm_head parameter: logits use model.language_model.embed_tokens.weight.
/// Parameter names equal the checkpoint keys, so loading is a strict state-dict load.
/// </summary>
public sealed class Qwen3VLForConditionalGeneration : nn.Module
{
    readonly Qwen3VLModel model;
    readonly Linear? lm_head;

    public Qwen3VLConfig Config { get; }
    public Device Device { get; }
    public ScalarType Dtype { get; }

    Qwen3VLForConditionalGeneration(Qwen3VLConfig config, Device device, ScalarType dtype) : base(nameof(Qwen3VLForConditionalGeneration))
    {
        Config = config;
        Device = device;
        Dtype = dtype;
        model = new Qwen3VLModel(config, device, dtype);
        if (!config.TieWordEmbeddings)
            lm_head = new Linear(config.TextConfig.HiddenSize, config.TextConfig.VocabSize, false, device, dtype);
        RegisterComponents();
    }

    public Qwen3VLModel Model => model;

    /// <summary>
    /// Builds the module tree with UNINITIALISED weights (torch.empty) on <paramref name="device"/>; on the meta
    /// device nothing is allocated (shape manifests). Load a checkpoint or call <see cref="InitializeRandom"/>.
    /// </summary>
    public static Qwen3VLForConditionalGeneration Create(Qwen3VLConfig config, Device? device = null, ScalarType dtype = ScalarType.Float32) =>
        new(config, device ?? CPU, dtype);

    /// <summary>
    /// Loads a checkpoint folder (config.json + model.safetensors or sharded index). Default run dtype: float32 on
    /// CPU, bfloat16 on CUDA. Weights stored as BF16/F16/F32 are converted one tensor at a time.
    /// </summary>
    public static Qwen3VLForConditionalGeneration FromPretrained(string modelDir, Device? device = null, ScalarType? dtype = null)
    {
        var config = Qwen3VLConfig.Load(modelDir);
        device ??= CPU;
        var runType = dtype ?? (device.type == DeviceType.CUDA ? ScalarType.BFloat16 : ScalarType.Float32);
        var result = new Qwen3VLForConditionalGeneration(config, device, runType);
        try
        {
            var ignorable = config.TieWordEmbeddings ? new HashSet<string> { "lm_head.weight" } : null;
            CheckpointLoader.Load(modelDir, result.CheckpointParameters(), ignorable);
            result.eval();
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    /// <summary>Parameters by checkpoint key (e.g. "model.visual.blocks.0.attn.qkv.weight").</summary>
    public IReadOnlyDictionary<string, Tensor> CheckpointParameters() =>
        named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter, StringComparer.Ordinal);

    /// <summary>
    /// Seeded random weights (benchmarks, tests): normal(0, std) for matrices and embeddings, 1 for norm weights,
    /// 0 for biases. Same seed, same libtorch → same weights.
    /// </summary>
    public void InitializeRandom(long seed, double std = 0.02)
    {
        using var noGrad = no_grad();
        var generator = new Generator((ulong)seed, CPU);
        foreach (var (name, parameter) in named_parameters())
        {
            if (name.EndsWith(".bias", StringComparison.Ordinal)) parameter.zero_();
            else if (parameter.dim() == 1) parameter.fill_(1.0);
            else if (parameter.device_type == DeviceType.CPU) parameter.normal_(0, std, generator);
            else
            {
                using var scope = NewDisposeScope();
                parameter.copy_(empty(parameter.shape, parameter.dtype).normal_(0, std, generator));
            }
        }
    }

    /// <summary>Output head weight [V, D]: lm_head.weight, or embed_tokens.weight when tied.</summary>
    public Tensor LmHeadWeight => lm_head?.Weight ?? model.LanguageModel.EmbedWeight;

    /// <param name="hidden">[B, S, D] final hidden states</param>
    /// <param name="lastPositionOnly">only the last position (generation); otherwise all</param>
    /// <returns>[B, S or 1, V] in the model dtype</returns>
    public Tensor ComputeLogits(Tensor hidden, bool lastPositionOnly)
    {
        using var kept = lastPositionOnly ? hidden.narrow(1, hidden.shape[1] - 1, 1) : hidden.alias();
        return F.linear(kept, LmHeadWeight);                                          // (B,S,D) x (D,V) -> (B,S,V)
    }

    /// <summary>
    /// Language model on prepared inputs (the step ARR-COC uses with a pruned prompt): embeddings, explicit 3-D
    /// positions, optional KV cache / padding mask / DeepStack injection. Autograd flows to
    /// <paramref name="inputsEmbeds"/> unless the caller disabled it.
    /// </summary>
    /// <param name="inputsEmbeds">[B, S, D]</param>
    /// <param name="positionIds">[3, B, S]</param>
    /// <returns>logits [B, S or 1, V]</returns>
    public Tensor ForwardEmbeds(Tensor inputsEmbeds, Tensor positionIds, KvCache? cache = null, Tensor? attentionMask = null, VisualInjection? visual = null, bool lastPositionOnly = false)
    {
        using var hidden = model.LanguageModel.forward(inputsEmbeds, positionIds, cache, attentionMask, visual);
        return ComputeLogits(hidden, lastPositionOnly);
    }

    /// <summary>
    /// The whole model on a fresh prompt, as transformers' forward at prefill: vision tower, placeholder scatter,
    /// get_rope_index, decoder with DeepStack, head.
    /// </summary>
    /// <param name="inputIds">[B, S] with grid-sized runs of &lt;|image_pad|&gt;</param>
    /// <param name="pixelValues">[N, 1536] or null (text only)</param>
    /// <param name="imageGridThw">[images, 3] or null</param>
    /// <param name="attentionMask">[B, S] 1/0 padding mask or null</param>
    /// <param name="cache">empty cache to fill for decoding, or null</param>
    public Qwen3VLForwardOutput forward(Tensor inputIds, Tensor? pixelValues = null, Tensor? imageGridThw = null, Tensor? attentionMask = null, KvCache? cache = null, bool lastPositionOnly = false)
    {
        if ((pixelValues is null) != (imageGridThw is null))
            throw new ArgumentException("pixel_values and image_grid_thw must be given together.");
        if (cache is not null && cache.SeqLength != 0)
            throw new ArgumentException("forward() starts a sequence: pass an empty cache (use ForwardEmbeds for later steps).");
        using var scope = NewDisposeScope();
        var vision = pixelValues is null ? null : model.GetImageFeatures(pixelValues, imageGridThw!);
        var (embeds, positions) = model.EmbedWithImages(inputIds, vision?.ImageEmbeds);                // [B, S, D]
        var visual = vision is null ? null : new VisualInjection(positions, vision.Deepstack);
        var (positionIds, deltas) = model.GetRopeIndex(inputIds, imageGridThw, attentionMask);        // [3, B, S], [B, 1]
        var logits = ForwardEmbeds(embeds, positionIds.to(embeds.device), cache, attentionMask, visual, lastPositionOnly);
        return new Qwen3VLForwardOutput(logits.MoveToOuterDisposeScope(), positionIds.MoveToOuterDisposeScope(), deltas.MoveToOuterDisposeScope());
    }
}
