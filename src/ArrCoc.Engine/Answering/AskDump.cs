using System.Text.Json;
using ArrCoc.Engine.Analysis;
using ArrCoc.Engine.Integration;

namespace ArrCoc.Engine.Answering;

/// <summary>
/// What `arrcoc ask --dump` writes: the exact inputs the language model saw (the pruned prompt when cells were
/// kept): input_ids, position_ids (3 × L), image_grid_thw, pixel_values_shape; the first-step logits (the full
/// last-position vector before the first generated token), generated_ids and text; the kept cells (null for all
/// tokens), where they came from ("selection") and the ARR-COC analysis (analysis.json's schema, with the prompt's
/// M-RoPE table) — for parity checks and for reproducing a run.
/// </summary>
public static class AskDump
{
    public static byte[] Serialize(AskResult result)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            WriteLongs(w, "input_ids", result.Prompt.Ids);
            w.WriteStartArray("position_ids");
            WriteLongs(w, null, result.Prompt.Positions.Select(p => p.T).ToArray());
            WriteLongs(w, null, result.Prompt.Positions.Select(p => p.H).ToArray());
            WriteLongs(w, null, result.Prompt.Positions.Select(p => p.W).ToArray());
            w.WriteEndArray();
            w.WriteStartArray("image_grid_thw");
            WriteLongs(w, null, result.ImageGridThw);
            w.WriteEndArray();
            WriteLongs(w, "pixel_values_shape", result.PixelValuesShape);
            w.WriteStartArray("first_step_logits");
            foreach (var x in result.Trace.FirstStepLogits ?? []) w.WriteNumberValue(x);
            w.WriteEndArray();
            WriteLongs(w, "generated_ids", [.. result.Trace.GeneratedIds]);
            w.WriteString("text", result.Text);
            if (result.Kept is null) w.WriteNull("kept");
            else WriteLongs(w, "kept", result.Kept.Select(i => (long)i).ToArray());
            w.WriteString("selection", result.Selection switch
            {
                CellSelection.ArrCoc => "arrcoc",
                CellSelection.KeepIndices => "keep-indices",
                _ => "all",
            });
            if (result.Analysis is { } analysis)
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
