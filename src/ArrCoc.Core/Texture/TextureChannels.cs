namespace ArrCoc.Core.Texture;

/// <summary>
/// The 13 texture channels (architecture.md, "The 13 texture channels"): index, dotted registry name and meaning.
/// Every channel ends in [0, 1].
/// </summary>
public static class TextureChannels
{
    public const int Count = 13;

    public const int Red = 0, Green = 1, Blue = 2;
    public const int LabL = 3, LabA = 4;
    public const int SobelX = 5, SobelY = 6, SobelMagnitude = 7;
    public const int PositionY = 8, PositionX = 9, Eccentricity = 10;
    public const int Saliency = 11, Luminance = 12;

    /// <summary>Short names, in channel order (used in analysis.json "channels").</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "red", "green", "blue", "lab_l", "lab_a", "sobel_x", "sobel_y", "sobel_magnitude",
        "position_y", "position_x", "eccentricity", "saliency", "luminance",
    ];

    /// <summary>Dotted registry names (`texture.ch07`), shared by views, CLI output and tests.</summary>
    public static string RegistryName(int channel) => $"texture.ch{channel:D2}";

    /// <summary>Groups by meaning, for display: colour, edges, position, views.</summary>
    public static IReadOnlyList<(string Group, int[] Channels)> Groups { get; } =
    [
        ("colour", [Red, Green, Blue, LabL, LabA]),
        ("edges", [SobelX, SobelY, SobelMagnitude]),
        ("position", [PositionY, PositionX, Eccentricity]),
        ("views", [Saliency, Luminance]),
    ];

    /// <summary>One-line meaning of each channel, in channel order.</summary>
    public static IReadOnlyList<string> Descriptions { get; } =
    [
        "sRGB red in [0, 1]",
        "sRGB green in [0, 1]",
        "sRGB blue in [0, 1]",
        "CIE L* (D65) / 100",
        "(CIE a* + 128) / 255",
        "Sobel Gx on grayscale (right minus left), cell mean, min-max over the image",
        "Sobel Gy on grayscale (bottom minus top), cell mean, min-max over the image",
        "Sobel magnitude, cell mean, min-max over the image",
        "row of the cell, i / (gh - 1)",
        "column of the cell, j / (gw - 1)",
        "distance from the centre, divided by its maximum",
        "saliency = Sobel magnitude (a view of channel 7)",
        "luminance = L* (a view of channel 3)",
    ];
}
