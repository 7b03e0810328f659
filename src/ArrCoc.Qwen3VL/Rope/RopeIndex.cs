using static TorchSharp.torch;

namespace ArrCoc.Qwen3VL.Rope;

/// <summary>Token ids that decide M-RoPE positions (from config.json).</summary>
public sealed record RopeTokenIds(long ImageTokenId, long VideoTokenId, long VisionStartTokenId, int SpatialMergeSize);

/// <summary>
/// 3-D (t, h, w) position ids of a prompt, exactly as transformers' Qwen3VLModel.get_rope_index:
/// text tokens advance all three axes together; the k-th image (grid t, h, w in patches, merged grid
/// h/2 × w/2) occupies its &lt;|image_pad|&gt; run with (st + ti, st + i, st + j), st = the text length before it plus
/// one past the previous maximum; text after an image resumes at (max so far) + 1.
/// rope_delta = max(position) + 1 − S (per row); decoding positions are c + rope_delta on all axes.
/// </summary>
public static class RopeIndex
{
    /// <param name="inputIds">[B, S] int64</param>
    /// <param name="imageGridThw">[images, 3] int64 (t, h, w in patches), consumed in order across the batch; null = text only</param>
    /// <param name="attentionMask">[B, S] 1 = real token, 0 = padding; null = no padding</param>
    /// <returns>position_ids [3, B, S] int64 and rope_deltas [B, 1] int64</returns>
    public static (Tensor PositionIds, Tensor RopeDeltas) GetRopeIndex(Tensor inputIds, Tensor? imageGridThw, RopeTokenIds ids, Tensor? attentionMask = null)
    {
        if (inputIds.dim() != 2) throw new ArgumentException($"input_ids must be [B, S], got [{string.Join(", ", inputIds.shape)}].");
        var (b, s) = ((int)inputIds.shape[0], (int)inputIds.shape[1]);
        using var scope = NewDisposeScope();
        var idsCpu = inputIds.to(ScalarType.Int64, CPU).contiguous();
        var tokens = idsCpu.data<long>().ToArray();
        long[]? mask = null;
        if (attentionMask is not null)
        {
            if (attentionMask.dim() != 2 || attentionMask.shape[0] != b || attentionMask.shape[1] != s)
                throw new ArgumentException($"attention_mask must be [{b}, {s}], got [{string.Join(", ", attentionMask.shape)}].");
            var maskCpu = attentionMask.to(ScalarType.Int64, CPU).contiguous();
            mask = maskCpu.data<long>().ToArray();
        }
        long[] grids = [];
        if (imageGridThw is not null)
        {
            var g = imageGridThw.to(ScalarType.Int64, CPU).contiguous();
            grids = g.data<long>().ToArray();
        }

        var positions = new long[3 * b * s];
        Array.Fill(positions, 1L);                                   // padded slots keep 1, as in the reference
        var deltas = new long[b];
        var imageIndex = 0;
        for (var row = 0; row < b; row++)
        {
            var kept = Enumerable.Range(0, s).Where(i => mask is null || mask[row * s + i] == 1).ToArray();
            var rowTokens = kept.Select(i => tokens[row * s + i]).ToArray();
            var rowPositions = imageGridThw is null
                ? TextOnly(rowTokens.Length)
                : ForRow(rowTokens, grids, ref imageIndex, ids);
            var max = -1L;
            for (var k = 0; k < kept.Length; k++)
                for (var axis = 0; axis < 3; axis++)
                {
                    var p = rowPositions[axis][k];
                    positions[(axis * b + row) * s + kept[k]] = p;
                    max = Math.Max(max, p);
                }
            // Text-only with padding: the reference takes the max over the whole row, padded 1s included.
            if (imageGridThw is null && kept.Length < s) max = Math.Max(max, 1);
            deltas[row] = imageGridThw is null && mask is null ? 0 : max + 1 - s;
        }
        return (tensor(positions, [3, b, s], ScalarType.Int64).MoveToOuterDisposeScope(), tensor(deltas, [b, 1], ScalarType.Int64).MoveToOuterDisposeScope());
    }

    static long[][] TextOnly(int n)
    {
        var p = Enumerable.Range(0, n).Select(i => (long)i).ToArray();
        return [p, p, p];
    }

    /// <summary>Positions of one unpadded row; images are the &lt;|vision_start|&gt; tokens followed by an image pad.</summary>
    static long[][] ForRow(long[] tokens, long[] grids, ref int imageIndex, RopeTokenIds ids)
    {
        var n = tokens.Length;
        var t = new long[n];
        var h = new long[n];
        var w = new long[n];
        var images = 0;
        for (var i = 0; i + 1 < n; i++)
            if (tokens[i] == ids.VisionStartTokenId && tokens[i + 1] == ids.ImageTokenId) images++;
        if (tokens.Contains(ids.VideoTokenId))
            throw new NotSupportedException("video tokens are not supported (images only).");

        var st = 0;
        var next = 0L;                                               // max position so far + 1
        for (var k = 0; k < images; k++)
        {
            var ed = Array.IndexOf(tokens, ids.ImageTokenId, st);
            if (imageIndex >= grids.Length / 3)
                throw new ArgumentException($"the prompt has more images than image_grid_thw rows ({grids.Length / 3}).");
            var gt = grids[3 * imageIndex];
            var gh = grids[3 * imageIndex + 1] / ids.SpatialMergeSize;
            var gw = grids[3 * imageIndex + 2] / ids.SpatialMergeSize;
            imageIndex++;
            var textLen = ed - st;
            for (var i = 0; i < textLen; i++) t[st + i] = h[st + i] = w[st + i] = next + i;
            var start = next + textLen;
            var count = gt * gh * gw;
            if (ed + count > n)
                throw new ArgumentException($"image {k} needs {count} <|image_pad|> tokens from position {ed} but the prompt has {n} tokens.");
            var o = ed;
            for (var ti = 0L; ti < gt; ti++)
                for (var i = 0L; i < gh; i++)
                    for (var j = 0L; j < gw; j++, o++)
                    {
                        if (tokens[o] != ids.ImageTokenId)
                            throw new ArgumentException($"image {k} needs {count} consecutive <|image_pad|> tokens from position {ed}; token {o} is {tokens[o]}.");
                        t[o] = start + ti;
                        h[o] = start + i;
                        w[o] = start + j;
                    }
            next = Math.Max(start + gt - 1, Math.Max(start + gh - 1, start + gw - 1)) + 1;
            st = (int)(ed + count);
        }
        for (var i = st; i < n; i++) t[i] = h[i] = w[i] = next + (i - st);
        return [t, h, w];
    }
}
