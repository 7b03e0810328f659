using System.Text.Json;
using ArrCoc.Engine.Analysis;
using ArrCoc.Qwen3VL.Generation;
using ArrCoc.Qwen3VL.Processing;
using static TorchSharp.torch;

namespace ArrCoc.Engine.Answering;

/// <summary>
/// What `arrcoc ask --dump` writes: the exact inputs the language model saw (the pruned prompt when cells were
/// kept), the first-step logits, the generated ids and text, the kept cells and the ARR-COC analysis — for parity
/// checks against a reference implementation and for reproducing a run.
/// </summary>
public static class AskDump
{
    /// <param name="inputIds">[1, L] the prompt given to the language model.</param>
    /// <param name="positionIds">[3, 1, L] its M-RoPE positions.</param>
    /// <param name="image">The processor output (grid and pixel_values shape).</param>
    /// <param name="kept">Kept cells, or null for all tokens.</param>
    public static byte[] Serialize(Tensor inputIds, Tensor positionIds, ProcessedImage? image, GenerationTrace trace, IReadOnlyList<int>? kept, AnalysisResult? analysis)
    {
        using var ids = inputIds.to(ScalarType.Int64, CPU).reshape(-1);
        using var positions = positionIds.to(ScalarType.Int64, CPU).reshape(3, -1);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            WriteLongs(w, "input_ids", ids.data<long>().ToArray());
            w.WriteStartArray("position_ids");
            for (int axis = 0; axis < 3; axis++) WriteLongs(w, null, positions[axis].data<long>().ToArray());
            w.WriteEndArray();
            w.WriteStartArray("image_grid_thw");
            if (image is not null) WriteLongs(w, null, image.ImageGridThw.to(ScalarType.Int64, CPU).reshape(-1).data<long>().ToArray());
            w.WriteEndArray();
            WriteLongs(w, "pixel_values_shape", image?.PixelValues.shape ?? []);
            w.WriteStartArray("first_step_logits");
            foreach (var x in trace.FirstStepLogits ?? []) w.WriteNumberValue(x);
            w.WriteEndArray();
            WriteLongs(w, "generated_ids", [.. trace.GeneratedIds]);
            w.WriteString("text", trace.Text);
            if (kept is null) w.WriteNull("kept");
            else WriteLongs(w, "kept", kept.Select(i => (long)i).ToArray());
            if (analysis is not null)
            {
                w.WritePropertyName("analysis");
                AnalysisJson.WriteObject(w, analysis);
            }
            w.WriteEndObject();
        }
        return stream.ToArray();
    }

    static void WriteLongs(Utf8JsonWriter w, string? name, long[] values)
    {
        if (name is null) w.WriteStartArray();
        else w.WriteStartArray(name);
        foreach (var v in values) w.WriteNumberValue(v);
        w.WriteEndArray();
    }
}
