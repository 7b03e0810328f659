using System.Text.Json;

namespace ArrCoc.Hub;

/// <summary>One server-sent event line of a Space log: `data: {"data": "text", "timestamp": "..."}`; keep-alives are empty.</summary>
internal static class SpaceLogLine
{
    public static string? Parse(string line)
    {
        if (!line.StartsWith("data:", StringComparison.Ordinal)) return null;
        var payload = line["data:".Length..].Trim();
        if (payload.Length == 0) return null;
        try
        {
            using var json = JsonDocument.Parse(payload);
            return json.RootElement.TryGetProperty("data", out var data) ? data.GetString()?.TrimEnd() : payload;
        }
        catch (JsonException)
        {
            return payload;
        }
    }
}
