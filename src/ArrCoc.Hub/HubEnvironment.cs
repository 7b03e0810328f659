using System.Text.RegularExpressions;

namespace ArrCoc.Hub;

/// <summary>
/// The environment variables huggingface_hub reads (its constants.py), with its precedence rules:
/// HF_HUB_CACHE > HUGGINGFACE_HUB_CACHE > HF_HOME/hub > XDG_CACHE_HOME/huggingface/hub > ~/.cache/huggingface/hub;
/// HF_TOKEN > HUGGING_FACE_HUB_TOKEN > token file (HF_TOKEN_PATH, else HF_HOME/token).
/// </summary>
internal sealed partial class HubEnvironment(Func<string, string?> get)
{
    string? Get(string name) => get(name) is { Length: > 0 } value ? value : null;

    public string Endpoint => (Get("HF_ENDPOINT") ?? HubOptions.DefaultEndpoint).TrimEnd('/');

    public string Home => ExpandPath(Get("HF_HOME")
        ?? Path.Combine(Get("XDG_CACHE_HOME") ?? Path.Combine(UserHome, ".cache"), "huggingface"));

    public string HubCache => ExpandPath(Get("HF_HUB_CACHE") ?? Get("HUGGINGFACE_HUB_CACHE") ?? Path.Combine(Home, "hub"));

    public bool Offline => IsTrue(Get("HF_HUB_OFFLINE")) || IsTrue(Get("TRANSFORMERS_OFFLINE"));

    public string? Token => Get("HF_TOKEN")?.Trim() ?? Get("HUGGING_FACE_HUB_TOKEN")?.Trim() ?? ReadTokenFile();

    string TokenPath => ExpandPath(Get("HF_TOKEN_PATH") ?? Path.Combine(Home, "token"));

    string UserHome => Get("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    string? ReadTokenFile()
    {
        try
        {
            return File.Exists(TokenPath) && File.ReadAllText(TokenPath).Trim() is { Length: > 0 } token ? token : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // an unreadable token file means "no token", as in huggingface_hub
        }
    }

    /// <summary>huggingface_hub's truth values: 1, ON, YES, TRUE (any case).</summary>
    internal static bool IsTrue(string? value) =>
        value is not null && value.Trim().ToUpperInvariant() is "1" or "ON" or "YES" or "TRUE";

    string ExpandPath(string path)
    {
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal)) path = UserHome + path[1..];
        return Path.GetFullPath(Variable().Replace(path, m => get(m.Groups["name"].Value) ?? m.Value));
    }

    /// <summary>$NAME or ${NAME}, as Python's os.path.expandvars (unknown names stay as written).</summary>
    [GeneratedRegex(@"\$(?:\{(?<name>\w+)\}|(?<name>\w+))")]
    private static partial Regex Variable();
}
