using ArrCoc.Qwen3VL.Config;
using ArrCoc.Qwen3VL.Generation;
using ArrCoc.Qwen3VL.Processing;
using ArrCoc.Qwen3VL.Text;
using ArrCoc.Qwen3VL.Tokenization;
using ArrCoc.Qwen3VL.Vision;
using TorchSharp;
using static TorchSharp.torch;

namespace ArrCoc.Qwen3VL;

// Shapes: S prompt tokens (batch 1), N patches, M merged image tokens, D text hidden.

/// <summary>
/// A prompt run through every step before decoding: ids with M &lt;|image_pad|&gt;, processor output, vision tower
/// output, embeddings with the image rows scattered in, get_rope_index positions. Owns its tensors.
/// </summary>
public sealed class PreparedPrompt : IDisposable
{
    /// <summary>[1, S] int64</summary>
    public required Tensor InputIds { get; init; }
    /// <summary>[3, 1, S] int64</summary>
    public required Tensor PositionIds { get; init; }
    /// <summary>rope_delta = max(position) + 1 − S (−992 for a 32×32 grid)</summary>
    public required long RopeDelta { get; init; }
    /// <summary>Processor output (null for a text-only prompt).</summary>
    public ProcessedImage? Image { get; init; }
    /// <summary>Vision tower output: image_embeds [M, D], DeepStack features (null for text-only).</summary>
    public VisionOutput? Vision { get; init; }
    /// <summary>[1, S, D]</summary>
    public required Tensor InputsEmbeds { get; init; }
    /// <summary>Flat indices of the M image tokens in the prompt.</summary>
    public Tensor? VisualPositions { get; init; }

    public Prefill ToPrefill() => new(InputIds, InputsEmbeds, PositionIds,
        Vision is null ? null : new VisualInjection(VisualPositions!, Vision.Deepstack), RopeDelta);

    public void Dispose()
    {
        InputIds.Dispose();
        PositionIds.Dispose();
        Image?.Dispose();
        Vision?.Dispose();
        InputsEmbeds.Dispose();
        VisualPositions?.Dispose();
    }
}

/// <summary>
/// A loaded checkpoint folder with everything needed to answer: model, tokenizer, image processor, generation
/// defaults. The steps are public one by one (<see cref="Prepare"/> is just their composition).
/// </summary>
public sealed class Qwen3VLPipeline : IDisposable
{
    public Qwen3VLForConditionalGeneration Model { get; }
    public Qwen2Tokenizer Tokenizer { get; }
    public Qwen2VLImageProcessor ImageProcessor { get; }
    public GenerationConfig GenerationConfig { get; }
    public Qwen3VLGenerator Generator { get; }

    Qwen3VLPipeline(Qwen3VLForConditionalGeneration model, Qwen2Tokenizer tokenizer, Qwen2VLImageProcessor processor, GenerationConfig generation)
    {
        Model = model;
        Tokenizer = tokenizer;
        ImageProcessor = processor;
        GenerationConfig = generation;
        Generator = new Qwen3VLGenerator(model, tokenizer);
    }

    /// <summary>
    /// Assemble a pipeline from parts (benchmarks with random weights of a real configuration). The tokenizer's
    /// vision token ids must be the config's.
    /// </summary>
    public static Qwen3VLPipeline Create(Qwen3VLForConditionalGeneration model, Qwen2Tokenizer tokenizer, Qwen2VLImageProcessor processor, GenerationConfig generation)
    {
        CheckTokenIds(model.Config, tokenizer);
        processor.Config.CheckAgainst(model.Config.VisionConfig);
        return new Qwen3VLPipeline(model, tokenizer, processor, generation);
    }

    /// <summary>Loads config, tokenizer, preprocessor and generation configs, and the weights of a checkpoint folder.</summary>
    public static Qwen3VLPipeline Load(string modelDir, Device? device = null, ScalarType? dtype = null)
    {
        if (!Directory.Exists(modelDir)) throw new DirectoryNotFoundException($"model folder {modelDir} does not exist.");
        var config = Qwen3VLConfig.Load(modelDir);
        var tokenizer = Qwen2Tokenizer.FromDirectory(modelDir);
        CheckTokenIds(config, tokenizer);
        var preprocessor = PreprocessorConfig.Load(modelDir);
        preprocessor.CheckAgainst(config.VisionConfig);
        var generation = GenerationConfig.Load(modelDir);
        var model = Qwen3VLForConditionalGeneration.FromPretrained(modelDir, device, dtype);
        return new Qwen3VLPipeline(model, tokenizer, new Qwen2VLImageProcessor(preprocessor), generation);
    }

    /// <summary>config.json's vision token ids must be the tokenizer's.</summary>
    public static void CheckTokenIds(Qwen3VLConfig config, Qwen2Tokenizer tokenizer)
    {
        foreach (var (token, id, field) in new[]
                 {
                     (ChatTemplate.ImagePad, config.ImageTokenId, "image_token_id"),
                     (ChatTemplate.VisionStart, config.VisionStartTokenId, "vision_start_token_id"),
                     (ChatTemplate.VisionEnd, config.VisionEndTokenId, "vision_end_token_id"),
                 })
        {
            var actual = tokenizer.RequireTokenId(token);
            if (actual != id) throw new InvalidDataException($"config.json {field} is {id} but the tokenizer gives {token} id {actual}.");
        }
        if (tokenizer.Count > config.TextConfig.VocabSize)
            throw new InvalidDataException($"the tokenizer has {tokenizer.Count} ids but config.json text_config.vocab_size is {config.TextConfig.VocabSize}.");
    }

    /// <summary>Decoding defaults from generation_config.json, with eos ids falling back to the tokenizer's eos.</summary>
    public GenerationOptions DefaultOptions()
    {
        var options = GenerationOptions.FromConfig(GenerationConfig);
        if (options.EosTokenIds.Count == 0 && Tokenizer.EosTokenId is { } eos) options = options with { EosTokenIds = [eos] };
        return options;
    }

    /// <summary>
    /// Runs the whole pre-decoding path for one (image, question): processor (smart_resize, or an exact grid of
    /// merged cells when <paramref name="fixedGrid"/> is given), chat template, vision tower, placeholder scatter,
    /// get_rope_index. No gradients. <paramref name="timingsMs"/>, when given, receives milliseconds per step:
    /// "processor", "vision_encoder", "prompt" (template, embedding, positions).
    /// </summary>
    public PreparedPrompt Prepare(RgbImage? image, string question, (int Rows, int Columns)? fixedGrid = null, IDictionary<string, double>? timingsMs = null)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var device = Model.Device;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        ProcessedImage? processed = null;
        if (image is not null)
            processed = fixedGrid is { } g ? ImageProcessor.PreprocessFixedGrid(image, g.Rows, g.Columns) : ImageProcessor.Preprocess(image);
        Lap(timingsMs, "processor", clock);
        VisionOutput? vision = null;
        if (processed is not null)
        {
            using var grid = processed.ImageGridThw.to(device);
            vision = Model.Model.GetImageFeatures(processed.PixelValues.to(device), grid);
        }
        Lap(timingsMs, "vision_encoder", clock);
        var ids = ChatTemplate.Tokenize(Tokenizer, question, processed?.MergedTokens ?? 0);
        var inputIds = tensor(ids.Select(i => (long)i).ToArray(), [1, ids.Count], ScalarType.Int64, device);
        var (embeds, visualPositions) = Model.Model.EmbedWithImages(inputIds, vision?.ImageEmbeds);
        var (positionIds, deltas) = Model.Model.GetRopeIndex(inputIds, processed?.ImageGridThw);
        Lap(timingsMs, "prompt", clock);
        var prepared = new PreparedPrompt
        {
            InputIds = inputIds.DetachFromDisposeScope(),
            PositionIds = positionIds.to(device).DetachFromDisposeScope(),
            RopeDelta = deltas.item<long>(),
            Image = processed,
            Vision = vision is null ? null : new VisionOutput(vision.ImageEmbeds.DetachFromDisposeScope(), vision.Deepstack.Select(t => t.DetachFromDisposeScope()).ToList()),
            InputsEmbeds = embeds.DetachFromDisposeScope(),
            VisualPositions = vision is null ? null : visualPositions.DetachFromDisposeScope(),
        };
        processed?.PixelValues.DetachFromDisposeScope();
        processed?.ImageGridThw.DetachFromDisposeScope();
        return prepared;
    }

    static void Lap(IDictionary<string, double>? timingsMs, string step, System.Diagnostics.Stopwatch clock)
    {
        if (timingsMs is not null) timingsMs[step] = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
    }

    /// <summary>Streams the answer to a prepared prompt.</summary>
    public IAsyncEnumerable<string> GenerateAsync(PreparedPrompt prompt, GenerationOptions options, GenerationTrace? trace = null, CancellationToken cancellationToken = default) =>
        Generator.GenerateAsync(prompt.ToPrefill(), options, trace, cancellationToken);

    public void Dispose() => Model.Dispose();
}
