namespace ArrCoc.Engine.Service;

/// <summary>
/// An image the engine has decoded and holds, ready for any number of analyses and answers. Plain data only: the
/// pixels' tensor stays in the engine. <see cref="DisplayPng"/> is the image at grid size, 16 px per cell.
/// </summary>
public sealed record ImageHandle
{
    public const int DisplayCellPixels = 16;

    public required Guid Id { get; init; }

    /// <summary>File or sample name.</summary>
    public required string Name { get; init; }

    /// <summary>"PNG", "JPEG", ...</summary>
    public required string Format { get; init; }

    public required int OriginalWidth { get; init; }

    public required int OriginalHeight { get; init; }

    /// <summary>Grid rows, e.g. 32.</summary>
    public required int Rows { get; init; }

    /// <summary>Grid columns, e.g. 32.</summary>
    public required int Columns { get; init; }

    /// <summary>Decode and resize time, in ms.</summary>
    public required double DecodeMs { get; init; }

    /// <summary>The resized image as PNG, Columns·16 × Rows·16 pixels (what views draw maps over).</summary>
    public required byte[] DisplayPng { get; init; }

    public int Cells => Rows * Columns;
}
