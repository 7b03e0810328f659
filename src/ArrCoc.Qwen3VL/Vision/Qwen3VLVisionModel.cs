using ArrCoc.Qwen3VL.Config;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Embedding = ArrCoc.Qwen3VL.Nn.Embedding;

namespace ArrCoc.Qwen3VL.Vision;

// Shapes: images with grid (t, h, w) in PATCHES (pre-merge; h, w even); N = Σ t·h·w patches, rows in merge-window
// order (groups of 4 = one 2×2 window, windows raster-ordered); E = 1536 values per patch row; Dv vision hidden;
// Dh = Dv / heads; M = N / 4 merged tokens (raster order over the merged grid = <|image_pad|> order); D text hidden.

/// <summary>Vision tower output: merged embeddings and one DeepStack feature per deepstack_visual_indexes entry.</summary>
public sealed record VisionOutput(Tensor ImageEmbeds, IReadOnlyList<Tensor> Deepstack) : IDisposable
{
    public void Dispose()
    {
        ImageEmbeds.Dispose();
        foreach (var t in Deepstack) t.Dispose();
    }
}

/// <summary>transformers' Qwen3VLVisionModel (checkpoint prefix model.visual).</summary>
public sealed class Qwen3VLVisionModel : nn.Module<Tensor, Tensor, VisionOutput>
{
    readonly Qwen3VLVisionPatchEmbed patch_embed;
    readonly Embedding pos_embed;
    readonly Qwen3VLVisionRotaryEmbedding rotary_pos_emb;
    readonly ModuleList<Qwen3VLVisionBlock> blocks;
    readonly Qwen3VLVisionPatchMerger merger;
    readonly ModuleList<Qwen3VLVisionPatchMerger> deepstack_merger_list;

    readonly Qwen3VLVisionConfig _config;

    public Qwen3VLVisionModel(Qwen3VLVisionConfig config, Device device, ScalarType dtype) : base(nameof(Qwen3VLVisionModel))
    {
        _config = config;
        patch_embed = new Qwen3VLVisionPatchEmbed(config, device, dtype);
        pos_embed = new Embedding(config.NumPositionEmbeddings, config.HiddenSize, device, dtype);
        rotary_pos_emb = new Qwen3VLVisionRotaryEmbedding(config.HeadDim / 2, device);
        blocks = new ModuleList<Qwen3VLVisionBlock>(Enumerable.Range(0, config.Depth).Select(_ => new Qwen3VLVisionBlock(config, device, dtype)).ToArray());
        merger = new Qwen3VLVisionPatchMerger(config, usePostshuffleNorm: false, device, dtype);
        deepstack_merger_list = new ModuleList<Qwen3VLVisionPatchMerger>(config.DeepstackVisualIndexes.Select(_ => new Qwen3VLVisionPatchMerger(config, usePostshuffleNorm: true, device, dtype)).ToArray());
        RegisterComponents();
    }

    public Qwen3VLVisionConfig Config => _config;

    /// <summary>Runs the tower on the patches of one or more images.</summary>
    /// <param name="pixelValues">[N, E] from the processor</param>
    /// <param name="gridThw">[images, 3] int64: t, h, w in patches</param>
    /// <returns>image_embeds [M, D] and DeepStack features, each [M, D]</returns>
    public override VisionOutput forward(Tensor pixelValues, Tensor gridThw)
    {
        var grids = ReadGrids(gridThw);
        var patches = grids.Sum(g => g.T * g.H * g.W);
        if (pixelValues.dim() != 2 || pixelValues.shape[0] != patches)
            throw new ArgumentException($"pixel_values has {(pixelValues.dim() == 2 ? pixelValues.shape[0] : -1)} patch rows but grid_thw describes {patches}.");

        using var scope = NewDisposeScope();
        var x = patch_embed.forward(pixelValues);                                // [N, Dv]
        var pos = FastPosEmbedInterpolate(grids);                                // [N, Dv]
        x = (x + pos).to(x.dtype);
        var rotary = RotaryPosEmb(grids);                                        // [N, Dh / 2]
        var emb = cat([rotary, rotary], -1);                                     // [N, Dh]
        var cos = emb.cos();
        var sin = emb.sin();
        var cuSeqlens = CuSeqlens(grids);

        var deepstack = new List<Tensor>();
        for (var i = 0; i < blocks.Count; i++)
        {
            var next = blocks[i].forward(x, cos, sin, cuSeqlens);               // [N, Dv]
            x.Dispose();
            x = next;
            var k = Array.IndexOf(_config.DeepstackVisualIndexes, i);
            if (k >= 0) deepstack.Add(deepstack_merger_list[k].forward(x));      // [M, D]
        }
        var merged = merger.forward(x);                                          // [M, D]
        // Like the reference, features are listed in block order (the order they were computed).
        return new VisionOutput(merged.MoveToOuterDisposeScope(), deepstack.Select(t => t.MoveToOuterDisposeScope()).ToList());
    }

    internal static (long T, long H, long W)[] ReadGrids(Tensor gridThw)
    {
        if (gridThw.dim() != 2 || gridThw.shape[1] != 3)
            throw new ArgumentException($"grid_thw must be [images, 3], got [{string.Join(", ", gridThw.shape)}].");
        using var cpu = gridThw.to(ScalarType.Int64, CPU);
        var values = cpu.data<long>().ToArray();
        var grids = new (long, long, long)[values.Length / 3];
        for (var i = 0; i < grids.Length; i++)
        {
            grids[i] = (values[3 * i], values[3 * i + 1], values[3 * i + 2]);
            if (values[3 * i] <= 0 || values[3 * i + 1] <= 0 || values[3 * i + 2] <= 0 || values[3 * i + 1] % 2 != 0 || values[3 * i + 2] % 2 != 0)
                throw new ArgumentException($"grid_thw row {i} = [{values[3 * i]}, {values[3 * i + 1]}, {values[3 * i + 2]}] must be positive with even h and w.");
        }
        return grids;
    }

    long[] CuSeqlens((long T, long H, long W)[] grids)
    {
        var bounds = new List<long> { 0 };
        foreach (var (t, h, w) in grids)
            for (var f = 0; f < t; f++) bounds.Add(bounds[^1] + h * w);
        return [.. bounds];
    }

    /// <summary>
    /// Learned G×G position embeddings resampled bilinearly to each h×w grid (fast_pos_embed_interpolate), with the
    /// reference's float32 linspace / truncation / weights, weights cast to the embedding dtype, the four weighted
    /// rows summed left to right; then repeated over frames and put in merge-window order.
    /// </summary>
    /// <returns>[N, Dv]</returns>
    Tensor FastPosEmbedInterpolate((long T, long H, long W)[] grids)
    {
        var g = _config.NumGridPerSide;
        var m = _config.SpatialMergeSize;
        var weight = pos_embed.Weight;
        var device = weight.device;
        var parts = new List<Tensor>();
        foreach (var (t, h, w) in grids)
        {
            var hIdx = linspace(0, g - 1, h, ScalarType.Float32);              // [h]
            var wIdx = linspace(0, g - 1, w, ScalarType.Float32);              // [w]
            var h0 = hIdx.to(ScalarType.Int32);                                  // trunc == floor (values >= 0)
            var w0 = wIdx.to(ScalarType.Int32);
            var h1 = (h0 + 1).clamp_max(g - 1);
            var w1 = (w0 + 1).clamp_max(g - 1);
            var dh = hIdx - h0;                                                  // float32
            var dw = wIdx - w0;
            var baseH0 = (h0 * g).unsqueeze(1);                                  // [h, 1]
            var baseH1 = (h1 * g).unsqueeze(1);
            Tensor[] indices =
            [
                (baseH0 + w0.unsqueeze(0)).flatten(),                            // [h·w] raster order
                (baseH0 + w1.unsqueeze(0)).flatten(),
                (baseH1 + w0.unsqueeze(0)).flatten(),
                (baseH1 + w1.unsqueeze(0)).flatten(),
            ];
            var oneMinusDh = (1 - dh).unsqueeze(1);                              // [h, 1]
            var oneMinusDw = (1 - dw).unsqueeze(0);                              // [1, w]
            Tensor[] weights =
            [
                (oneMinusDh * oneMinusDw).flatten(),
                (oneMinusDh * dw.unsqueeze(0)).flatten(),
                (dh.unsqueeze(1) * oneMinusDw).flatten(),
                (dh.unsqueeze(1) * dw.unsqueeze(0)).flatten(),
            ];
            Tensor? sum = null;
            for (var i = 0; i < 4; i++)
            {
                var rows = weight.index_select(0, indices[i].to(ScalarType.Int64, device));      // [h·w, Dv]
                var term = rows * weights[i].to(weight.dtype, device).unsqueeze(1);
                sum = sum is null ? term : sum + term;
            }
            var perImage = sum!.repeat(t, 1)                                                     // [t·h·w, Dv]
                .view(t, h / m, m, w / m, m, -1)
                .permute(0, 1, 3, 2, 4, 5)
                .flatten(0, 4);                                                                  // merge-window order
            parts.Add(perImage);
        }
        return parts.Count == 1 ? parts[0] : cat(parts, 0);
    }

    /// <summary>
    /// 2-D rotary angles per patch in merge-window order: concat(freq[row], freq[col]) with PRE-merge patch
    /// coordinates (row, col) = (2·bh + mh, 2·bw + mw).
    /// </summary>
    /// <returns>[N, Dh / 2] float32</returns>
    Tensor RotaryPosEmb((long T, long H, long W)[] grids)
    {
        var m = _config.SpatialMergeSize;
        var maxHw = grids.Max(x => Math.Max(x.H, x.W));
        var freqTable = rotary_pos_emb.forward(maxHw);                                           // [maxHw, Dh / 4]
        var device = freqTable.device;
        var parts = new List<Tensor>();
        foreach (var (t, h, w) in grids)
        {
            long mh = h / m, mw = w / m;
            var blockRows = arange(mh, device: device).view(mh, 1, 1, 1);
            var blockCols = arange(mw, device: device).view(1, mw, 1, 1);
            var intraRow = arange(m, device: device).view(1, 1, m, 1);
            var intraCol = arange(m, device: device).view(1, 1, 1, m);
            var rowIdx = (blockRows * m + intraRow).expand(mh, mw, m, m).reshape(-1);          // [h·w]
            var colIdx = (blockCols * m + intraCol).expand(mh, mw, m, m).reshape(-1);
            if (t > 1)
            {
                rowIdx = rowIdx.repeat(t);
                colIdx = colIdx.repeat(t);
            }
            parts.Add(cat([freqTable.index_select(0, rowIdx), freqTable.index_select(0, colIdx)], -1)); // [t·h·w, Dh/2]
        }
        return parts.Count == 1 ? parts[0] : cat(parts, 0);
    }
}
