using System.ComponentModel.DataAnnotations;

namespace ArrCoc.Microscope;

/// <summary>How the web app runs (configuration section "Microscope"). Defaults are the property initialisers.</summary>
public sealed class MicroscopeOptions
{
    public const string Section = "Microscope";

    /// <summary>Where the app listens when neither ASPNETCORE_URLS, --urls nor Kestrel endpoints say otherwise.</summary>
    public const string DefaultUrl = "http://127.0.0.1:7860";

    /// <summary>Questions compared side by side on the Compare tab, e.g. 8.</summary>
    [Range(2, 16)]
    public int MaxCompareQuestions { get; set; } = 8;

    /// <summary>
    /// Largest SignalR message from the browser, e.g. 64 KiB. Uploads do not need more: InputFile streams a file in
    /// chunks of at most 32 KiB, and the file's size is checked against ImageLimits:MaxFileBytes before it is read.
    /// </summary>
    [Range(32 * 1024, 16 * 1024 * 1024)]
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// How long a session whose browser vanished without saying goodbye is kept for a reconnect, e.g. 60 s; then its
    /// requests are cancelled and its image is let go (Blazor's default, 3 minutes, holds memory longer).
    /// </summary>
    [Range(5, 3600)]
    public int DisconnectedSessionSeconds { get; set; } = 60;
}
