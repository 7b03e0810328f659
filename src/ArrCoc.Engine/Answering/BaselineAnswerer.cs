using System.Text.Json;
using System.Text.Json.Serialization;
using ArrCoc.Engine.Images;
using ArrCoc.Qwen3VL;
using ArrCoc.Qwen3VL.Generation;
using static TorchSharp.torch;

namespace ArrCoc.Engine.Answering;

/// <summary>Decoding settings of one question (CLI/UI level): temperature 0 means greedy.</summary>
public sealed record AnswerSettings
{
    public int MaxNewTokens { get; init; } = 128;
    /// <summary>0 = greedy; above 0 = sampling at that temperature with the checkpoint's top-p/top-k unless overridden.</summary>
    public double Temperature { get; init; }
    public double? TopP { get; init; }
    public int? TopK { get; init; }
    public double? RepetitionPenalty { get; init; }
    public long? Seed { get; init; }
}

/// <summary>What `arrcoc ask --dump` writes: the exact inputs and first logits of the run, for parity checks.</summary>
public sealed record AskDump(
    [property: JsonPropertyName("input_ids")] long[] InputIds,
    [property: JsonPropertyName("position_ids")] long[][] PositionIds,
    [property: JsonPropertyName("image_grid_thw")] long[][] ImageGridThw,
    [property: JsonPropertyName("pixel_values_shape")] long[] PixelValuesShape,
    [property: JsonPropertyName("first_step_logits")] float[] FirstStepLogits,
    [property: JsonPropertyName("generated_ids")] long[] GeneratedIds,
    [property: JsonPropertyName("text")] string Text)
{
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this);
}

/// <summary>
/// The unmodified Qwen3-VL answer to (image, question): all visual tokens, official processor (smart_resize),
/// chat template, vision tower, generation. The ARR-COC integration compares against this baseline.
/// </summary>
public sealed class BaselineAnswerer(Qwen3VLPipeline pipeline, ImageLoader images) : IDisposable
{
    public Qwen3VLPipeline Pipeline { get; } = pipeline;

    public static BaselineAnswerer Load(string modelDir, ImageLimitsOptions? limits = null) =>
        new(Qwen3VLPipeline.Load(modelDir), new ImageLoader(limits ?? new ImageLimitsOptions()));

    public GenerationOptions Options(AnswerSettings settings)
    {
        var options = Pipeline.DefaultOptions() with { MaxNewTokens = settings.MaxNewTokens, Seed = settings.Seed };
        options = settings.Temperature == 0
            ? options with { DoSample = false }
            : options with { DoSample = true, Temperature = settings.Temperature };
        if (settings.TopP is { } p) options = options with { TopP = p };
        if (settings.TopK is { } k) options = options with { TopK = k };
        if (settings.RepetitionPenalty is { } r) options = options with { RepetitionPenalty = r };
        return options.Validate();
    }

    /// <summary>Decodes the image file and runs everything up to the first decoding step.</summary>
    public PreparedPrompt Prepare(string imagePath, string question)
    {
        if (string.IsNullOrWhiteSpace(question)) throw new ArgumentException("the question is empty.");
        using var decoded = images.Load(imagePath);
        return Pipeline.Prepare(decoded.ToRgbImage(), question);
    }

    /// <summary>Streams the answer; <paramref name="trace"/> receives ids, first logits and timings.</summary>
    public IAsyncEnumerable<string> AnswerAsync(PreparedPrompt prompt, AnswerSettings settings, GenerationTrace trace, CancellationToken cancellationToken = default) =>
        Pipeline.GenerateAsync(prompt, Options(settings), trace, cancellationToken);

    public static AskDump Dump(PreparedPrompt prompt, GenerationTrace trace)
    {
        using var ids = prompt.InputIds.to(ScalarType.Int64, CPU);
        using var positions = prompt.PositionIds.to(ScalarType.Int64, CPU);
        var length = ids.shape[1];
        var flat = positions.data<long>().ToArray();
        var grid = prompt.Image is null ? [] : new[] { prompt.Image.ImageGridThw.data<long>().ToArray() };
        return new AskDump(
            ids.data<long>().ToArray(),
            Enumerable.Range(0, 3).Select(axis => flat.Skip(axis * (int)length).Take((int)length).ToArray()).ToArray(),
            grid,
            prompt.Image?.PixelValues.shape ?? [],
            trace.FirstStepLogits ?? [],
            [.. trace.GeneratedIds],
            trace.Text);
    }

    public void Dispose() => Pipeline.Dispose();
}
