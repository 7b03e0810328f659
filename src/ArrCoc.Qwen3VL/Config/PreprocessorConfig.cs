using System.Text.Json.Nodes;

namespace ArrCoc.Qwen3VL.Config;

/// <summary>
/// preprocessor_config.json (Qwen2VLImageProcessorFast as configured by Qwen3-VL). PITFALL: size.shortest_edge and
/// size.longest_edge are min/max PIXEL COUNTS (65536 / 16777216), not edge lengths.
/// </summary>
public sealed record PreprocessorConfig
{
    public const string FileName = "preprocessor_config.json";

    /// <summary>Minimum pixel count after resizing, e.g. 65536.</summary>
    public required long MinPixels { get; init; }
    /// <summary>Maximum pixel count after resizing, e.g. 16777216.</summary>
    public required long MaxPixels { get; init; }
    /// <summary>Patch edge, e.g. 16.</summary>
    public required int PatchSize { get; init; }
    /// <summary>Frames per temporal patch, e.g. 2.</summary>
    public required int TemporalPatchSize { get; init; }
    /// <summary>Merge size, e.g. 2 (so the resize factor is 32).</summary>
    public required int MergeSize { get; init; }
    /// <summary>Per-channel mean, e.g. [0.5, 0.5, 0.5].</summary>
    public required double[] ImageMean { get; init; }
    /// <summary>Per-channel std, e.g. [0.5, 0.5, 0.5].</summary>
    public required double[] ImageStd { get; init; }
    /// <summary>Rescale factor, 1/255.</summary>
    public double RescaleFactor { get; init; } = 1.0 / 255.0;

    public static PreprocessorConfig Load(string modelDir)
    {
        var (doc, p) = JsonFields.Load(Path.Combine(modelDir, FileName));
        using (doc)
        {
            long min, max;
            if (p.OptionalObject("size") is { } size)
            {
                min = size.Long("shortest_edge");
                max = size.Long("longest_edge");
            }
            else
            {
                min = p.Long("min_pixels");
                max = p.Long("max_pixels");
            }
            var config = new PreprocessorConfig
            {
                MinPixels = min,
                MaxPixels = max,
                PatchSize = p.PositiveInt("patch_size"),
                TemporalPatchSize = p.PositiveInt("temporal_patch_size"),
                MergeSize = p.PositiveInt("merge_size"),
                ImageMean = p.DoubleArray("image_mean"),
                ImageStd = p.DoubleArray("image_std"),
                RescaleFactor = p.Double("rescale_factor", 1.0 / 255.0),
            };
            if (min <= 0 || max < min) throw p.Error("size", $"needs 0 < shortest_edge (min pixels, {min}) <= longest_edge (max pixels, {max}).");
            if (config.ImageMean.Length != 3) throw p.Error("image_mean", $"must have 3 values, found {config.ImageMean.Length}.");
            if (config.ImageStd.Length != 3 || config.ImageStd.Any(s => s <= 0)) throw p.Error("image_std", "must have 3 positive values.");
            if (p.Has("do_resize") && !p.Bool("do_resize")) throw p.Error("do_resize", "is false; only resizing processors are supported.");
            return config;
        }
    }

    /// <summary>Checks that the processor's patching matches the vision tower's.</summary>
    public void CheckAgainst(Qwen3VLVisionConfig vision)
    {
        if (PatchSize != vision.PatchSize) throw new InvalidDataException($"{FileName}: patch_size is {PatchSize} but config.json vision_config.patch_size is {vision.PatchSize}.");
        if (TemporalPatchSize != vision.TemporalPatchSize) throw new InvalidDataException($"{FileName}: temporal_patch_size is {TemporalPatchSize} but config.json vision_config.temporal_patch_size is {vision.TemporalPatchSize}.");
        if (MergeSize != vision.SpatialMergeSize) throw new InvalidDataException($"{FileName}: merge_size is {MergeSize} but config.json vision_config.spatial_merge_size is {vision.SpatialMergeSize}.");
    }

    /// <summary>The official Qwen3-VL values for a given patch geometry.</summary>
    public static PreprocessorConfig Qwen3VL(int patchSize = 16, int temporalPatchSize = 2, int mergeSize = 2) => new()
    {
        MinPixels = 65536, MaxPixels = 16777216, PatchSize = patchSize, TemporalPatchSize = temporalPatchSize,
        MergeSize = mergeSize, ImageMean = [0.5, 0.5, 0.5], ImageStd = [0.5, 0.5, 0.5],
    };

    public JsonObject ToJson() => new()
    {
        ["size"] = new JsonObject { ["longest_edge"] = MaxPixels, ["shortest_edge"] = MinPixels },
        ["patch_size"] = PatchSize,
        ["temporal_patch_size"] = TemporalPatchSize,
        ["merge_size"] = MergeSize,
        ["image_mean"] = new JsonArray(ImageMean.Select(x => (JsonNode)x).ToArray()),
        ["image_std"] = new JsonArray(ImageStd.Select(x => (JsonNode)x).ToArray()),
        ["processor_class"] = "Qwen3VLProcessor",
        ["image_processor_type"] = "Qwen2VLImageProcessorFast",
    };
}
