namespace ArrCoc.Hub;

/// <summary>
/// Last line of defence: whatever text leaves the Hub client (exception messages, log lines built from server
/// replies) goes through Redact, which replaces the token wherever it appears.
/// </summary>
public sealed class SecretRedactor(params string?[] secrets)
{
    readonly string[] secrets = [.. secrets.Where(s => !string.IsNullOrEmpty(s)).Select(s => s!)];

    public const string Mask = "[REDACTED]";

    public string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        foreach (var secret in secrets)
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        return text;
    }
}
