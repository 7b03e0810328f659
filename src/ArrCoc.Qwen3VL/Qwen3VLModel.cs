using ArrCoc.Qwen3VL.Config;
using ArrCoc.Qwen3VL.Rope;
using ArrCoc.Qwen3VL.Text;
using ArrCoc.Qwen3VL.Vision;
using static TorchSharp.torch;

namespace ArrCoc.Qwen3VL;

// Shapes: B batch, S prompt tokens, M merged image tokens (= <|image_pad|> count), D text hidden.

/// <summary>transformers' Qwen3VLModel (checkpoint prefix "model."): vision tower + decoder, no output head.</summary>
public sealed class Qwen3VLModel : nn.Module
{
    readonly Qwen3VLVisionModel visual;
    readonly Qwen3VLTextModel language_model;

    readonly Qwen3VLConfig _config;

    public Qwen3VLModel(Qwen3VLConfig config, Device device, ScalarType dtype) : base(nameof(Qwen3VLModel))
    {
        _config = config;
        visual = new Qwen3VLVisionModel(config.VisionConfig, device, dtype);
        language_model = new Qwen3VLTextModel(config.TextConfig, device, dtype);
        RegisterComponents();
    }

    public Qwen3VLVisionModel Visual => visual;
    public Qwen3VLTextModel LanguageModel => language_model;

    public RopeTokenIds RopeTokenIds => new(_config.ImageTokenId, _config.VideoTokenId, _config.VisionStartTokenId, _config.VisionConfig.SpatialMergeSize);

    /// <summary>Vision tower on processor output (get_image_features): pixel_values [N, 1536], grid_thw [images, 3].</summary>
    public VisionOutput GetImageFeatures(Tensor pixelValues, Tensor imageGridThw) => visual.forward(pixelValues, imageGridThw);

    /// <summary>get_rope_index: position_ids [3, B, S] and rope_deltas [B, 1].</summary>
    public (Tensor PositionIds, Tensor RopeDeltas) GetRopeIndex(Tensor inputIds, Tensor? imageGridThw, Tensor? attentionMask = null) =>
        RopeIndex.GetRopeIndex(inputIds, imageGridThw, RopeTokenIds, attentionMask);

    /// <summary>
    /// embed_tokens(input_ids) with the k-th &lt;|image_pad|&gt; (batch-major, then sequence order) replaced by row k of
    /// <paramref name="imageEmbeds"/>. Returns the embeddings [B, S, D] and the visual positions (flat indices into
    /// B·S, for DeepStack). Differentiable with respect to <paramref name="imageEmbeds"/>.
    /// </summary>
    public (Tensor InputsEmbeds, Tensor VisualPositions) EmbedWithImages(Tensor inputIds, Tensor? imageEmbeds)
    {
        using var scope = NewDisposeScope();
        var embeds = language_model.EmbedTokens(inputIds);                                  // [B, S, D]
        var positions = inputIds.reshape(-1).eq(_config.ImageTokenId).nonzero().reshape(-1); // [M]
        var tokens = positions.shape[0];
        var features = imageEmbeds?.shape[0] ?? 0;
        if (tokens != features)
            throw new ArgumentException($"Image features and image tokens do not match: {features} image features, {tokens} <|image_pad|> tokens.");
        if (imageEmbeds is not null && tokens > 0)
        {
            var (b, s) = (embeds.shape[0], embeds.shape[1]);
            embeds = embeds.reshape(b * s, -1).index_copy(0, positions, imageEmbeds.to(embeds.dtype)).view(b, s, -1);
        }
        return (embeds.MoveToOuterDisposeScope(), positions.MoveToOuterDisposeScope());
    }
}
