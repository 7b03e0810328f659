using System.Text.Json;
using ArrCoc.Core.Balancing;
using ArrCoc.Core.Texture;

namespace ArrCoc.Engine.Analysis;

/// <summary>
/// analysis.json: the documented schema (README, "analysis.json") shared by `arrcoc analyze`, `arrcoc ask --dump`
/// and the Microscope's export. Maps are nested [rows][columns] arrays.
/// </summary>
public static class AnalysisJson
{
    /// <summary>Schema version written as "schema".</summary>
    public const int SchemaVersion = 1;

    /// <summary>The analysis as analysis.json; "prompt" (the M-RoPE table) when <see cref="AnalysisResult.Prompt"/> is known.</summary>
    public static byte[] Serialize(AnalysisResult result)
    {
        using var stream = new MemoryStream();
        Write(stream, result);
        return stream.ToArray();
    }

    public static void Write(Stream stream, AnalysisResult result)
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        WriteObject(w, result);
    }

    /// <summary>Write the analysis as one JSON object (e.g. as the value of a property of a larger document).</summary>
    public static void WriteObject(Utf8JsonWriter w, AnalysisResult result)
    {
        var r = result.Relevance;
        w.WriteStartObject();
        w.WriteNumber("schema", SchemaVersion);
        w.WriteString("question", result.Question);
        w.WriteString("image", result.ImageName);
        w.WritePropertyName("original_size");
        WriteInts(w, [result.OriginalWidth, result.OriginalHeight]);
        w.WritePropertyName("grid");
        WriteInts(w, [r.Rows, r.Columns]);
        w.WriteNumber("cells", r.Cells);
        w.WriteNumber("k", result.K);

        w.WritePropertyName("channels");
        w.WriteStartArray();
        foreach (var name in TextureChannels.Names) w.WriteStringValue(name);
        w.WriteEndArray();
        w.WritePropertyName("texture");
        w.WriteStartArray();
        foreach (var channel in r.Texture) WriteGrid(w, channel, r.Columns);
        w.WriteEndArray();

        w.WriteStartObject("maps");
        w.WritePropertyName("information"); WriteGrid(w, r.Information, r.Columns);
        w.WritePropertyName("perspectival"); WriteGrid(w, r.Perspectival, r.Columns);
        w.WritePropertyName("participatory"); WriteGrid(w, r.Participatory, r.Columns);
        w.WritePropertyName("balanced"); WriteGrid(w, r.Balanced, r.Columns);
        w.WriteEndObject();

        WriteWeights(w, "weights", r.Weights);
        WriteWeights(w, "learned_weights", r.LearnedWeights);
        w.WriteStartObject("ablation");
        w.WritePropertyName("disabled");
        w.WriteStartArray();
        foreach (var way in result.Ablation.Disabled.Order()) w.WriteStringValue(way.Name());
        w.WriteEndArray();
        if (result.Ablation.FixedWeights is { } fixedWeights)
        {
            w.WritePropertyName("fixed_weights");
            w.WriteStartArray();
            foreach (var x in fixedWeights) w.WriteNumberValue(x);
            w.WriteEndArray();
        }
        w.WriteEndObject();

        w.WritePropertyName("kept");
        WriteInts(w, r.Kept);
        w.WritePropertyName("budgets");
        WriteInts(w, r.Budgets);
        w.WritePropertyName("kept_cells");
        w.WriteStartArray();
        foreach (var (row, column) in r.KeptCells) WriteInts(w, [row, column]);
        w.WriteEndArray();

        w.WriteString("query_embedding", result.QueryEmbeddingSource);
        w.WritePropertyName("query_vector");
        w.WriteStartArray();
        foreach (var x in result.QueryVector) w.WriteNumberValue(x);
        w.WriteEndArray();
        w.WriteString("checkpoint", result.Checkpoint);
        w.WriteBoolean("untrained", result.Untrained);

        w.WriteStartObject("timings_ms");
        foreach (var (stage, ms) in result.TimingsMs) w.WriteNumber(stage, Math.Round(ms, 3));
        w.WriteEndObject();
        if (result.Prompt is { } prompt) WritePrompt(w, prompt);
        w.WriteEndObject();
    }

    /// <summary>"prompt": every token of the prompt given to the model, in order, with its (t, h, w) and cell.</summary>
    static void WritePrompt(Utf8JsonWriter w, PromptTokens prompt)
    {
        w.WriteStartObject("prompt");
        w.WriteNumber("tokens", prompt.Count);
        w.WriteNumber("image_tokens", prompt.ImageTokens);
        w.WriteStartArray("positions");
        for (int i = 0; i < prompt.Count; i++)
        {
            w.WriteStartObject();
            w.WriteNumber("index", i);
            w.WriteNumber("id", prompt.Ids[i]);
            w.WriteString("token", prompt.Texts[i]);
            w.WriteNumber("t", prompt.Positions[i].T);
            w.WriteNumber("h", prompt.Positions[i].H);
            w.WriteNumber("w", prompt.Positions[i].W);
            if (prompt.Cells[i] is { } cell) w.WriteNumber("cell", cell);
            else w.WriteNull("cell");
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    static void WriteWeights(Utf8JsonWriter w, string name, float[] weights)
    {
        w.WriteStartObject(name);
        foreach (var way in WaysOfKnowing.All) w.WriteNumber(way.Name(), weights[(int)way]);
        w.WriteEndObject();
    }

    static void WriteGrid(Utf8JsonWriter w, float[] values, int columns)
    {
        w.WriteStartArray();
        for (int start = 0; start < values.Length; start += columns)
        {
            w.WriteStartArray();
            for (int j = 0; j < columns; j++) w.WriteNumberValue(values[start + j]);
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }

    static void WriteInts(Utf8JsonWriter w, IEnumerable<int> values)
    {
        w.WriteStartArray();
        foreach (var v in values) w.WriteNumberValue(v);
        w.WriteEndArray();
    }
}
