using ArrCoc.Qwen3VL.Config;
using ArrCoc.Qwen3VL.Rope;
using ArrCoc.Qwen3VL.Text;
using static TorchSharp.torch;

namespace ArrCoc.Qwen3VL.Tests;

/// <summary>M-RoPE position ids and the interleaved frequency assignment, checked against hand-computed values.</summary>
public sealed class RopeTests
{
    const long Start = 100, Pad = 101, End = 102;
    static readonly RopeTokenIds Ids = new(ImageTokenId: Pad, VideoTokenId: 103, VisionStartTokenId: Start, SpatialMergeSize: 2);

    static long[][] Positions(Tensor positionIds)
    {
        var flat = positionIds.data<long>().ToArray();
        var s = (int)positionIds.shape[2];
        return [.. Enumerable.Range(0, 3).Select(a => flat.Skip(a * s).Take(s).ToArray())];
    }

    [Fact]
    public void GetRopeIndex_TextImageText_HandComputed()
    {
        // a b <vs> [2×3 merged grid = patches 4×6] <ve> c d
        long[] tokens = [1, 2, Start, Pad, Pad, Pad, Pad, Pad, Pad, End, 3, 4];
        using var ids = tensor(tokens, [1, tokens.Length]);
        using var grid = tensor(new long[] { 1, 4, 6 }, [1, 3]);
        var (pos, delta) = RopeIndex.GetRopeIndex(ids, grid, Ids);
        var p = Positions(pos);
        Assert.Equal([0L, 1, 2, 3, 3, 3, 3, 3, 3, 6, 7, 8], p[0]);          // t
        Assert.Equal([0L, 1, 2, 3, 3, 3, 4, 4, 4, 6, 7, 8], p[1]);          // h = 3 + row
        Assert.Equal([0L, 1, 2, 3, 4, 5, 3, 4, 5, 6, 7, 8], p[2]);          // w = 3 + column
        Assert.Equal(9 - 12, delta.item<long>());
    }

    [Fact]
    public void GetRopeIndex_FactsSheetWorkedExample_32x32Grid()
    {
        var tokens = new List<long> { 7, 8, 9, Start };
        tokens.AddRange(Enumerable.Repeat(Pad, 1024));
        tokens.Add(End);
        tokens.AddRange([10, 11, 12, 13, 14, 15]);
        using var ids = tensor(tokens.ToArray(), [1, tokens.Count]);
        using var grid = tensor(new long[] { 1, 64, 64 }, [1, 3]);
        var (pos, delta) = RopeIndex.GetRopeIndex(ids, grid, Ids);
        var p = Positions(pos);
        Assert.Equal(-992, delta.item<long>());
        var image = 4 + 33 * 32 + 5;                                       // token (i = 33 / 32 → row 1, column 5)
        Assert.Equal((4L, 4L + 1, 4L + 5), (p[0][4 + 32 + 5], p[1][4 + 32 + 5], p[2][4 + 32 + 5]));
        Assert.True(image > 0);
        Assert.Equal(36, p[0][4 + 1024]);                                  // <|vision_end|>
        Assert.Equal(37, p[1][4 + 1025]);
    }

    [Fact]
    public void GetRopeIndex_LeftPadding_PositionsOnRealTokensAndOnesElsewhere()
    {
        long[] tokens = [0, 0, 5, Start, Pad, End, 6];
        using var ids = tensor(tokens, [1, tokens.Length]);
        using var mask = tensor(new long[] { 0, 0, 1, 1, 1, 1, 1 }, [1, 7]);
        using var grid = tensor(new long[] { 1, 2, 2 }, [1, 3]);
        var (pos, delta) = RopeIndex.GetRopeIndex(ids, grid, Ids, mask);
        var p = Positions(pos);
        Assert.Equal([1L, 1, 0, 1, 2, 3, 4], p[0]);
        Assert.Equal(5 - 7, delta.item<long>());
    }

    [Fact]
    public void GetRopeIndex_TextOnly_PlainPositionsZeroDelta()
    {
        using var ids = tensor(new long[] { 1, 2, 3 }, [1, 3]);
        var (pos, delta) = RopeIndex.GetRopeIndex(ids, null, Ids);
        Assert.All(Positions(pos), axis => Assert.Equal([0L, 1, 2], axis));
        Assert.Equal(0, delta.item<long>());
    }

    [Fact]
    public void AxisOfSlot_OfficialSection_IsTHWRepeatedThenFourT()
    {
        var axis = Qwen3VLTextRotaryEmbedding.AxisOfSlot([24, 20, 20], 64);
        Assert.Equal(Enumerable.Range(0, 20).SelectMany(_ => new long[] { 0, 1, 2 }).Concat([0, 0, 0, 0]), axis);
        Assert.Equal(24, axis.Count(a => a == 0));
    }

    [Fact]
    public void RotaryEmbedding_SmallHeadDim_InterleavesAxesPerSlot()
    {
        // head_dim 16 → 8 slots; section [4, 2, 2] → axes T H W T H W T T.
        var config = Qwen3VLConfig.Qwen3VL2B().TextConfig with { HeadDim = 16, MropeSection = [4, 2, 2], RopeTheta = 10000 };
        using var rotary = new Qwen3VLTextRotaryEmbedding(config, CPU);
        using var positions = tensor(new long[] { 5, 7, 11 }, [3, 1, 1]);     // t = 5, h = 7, w = 11
        var (cos, sin) = rotary.forward(positions, ScalarType.Float32);
        var c = cos.data<float>().ToArray();
        var s = sin.data<float>().ToArray();
        long[] axisPosition = [5, 7, 11, 5, 7, 11, 5, 5];
        for (var i = 0; i < 8; i++)
        {
            var invFreq = 1.0 / Math.Pow(10000, 2.0 * i / 16);
            var angle = (float)(axisPosition[i] * (float)invFreq);
            Assert.Equal(Math.Cos(angle), c[i], 5);
            Assert.Equal(Math.Cos(angle), c[i + 8], 5);                          // emb = concat(freqs, freqs)
            Assert.Equal(Math.Sin(angle), s[i], 5);
        }
        cos.Dispose();
        sin.Dispose();
    }

    [Fact]
    public void RotaryEmbedding_TextOnlyPositions_EqualOneDimensionalRope()
    {
        var config = Qwen3VLConfig.Qwen3VL2B().TextConfig;
        using var rotary = new Qwen3VLTextRotaryEmbedding(config, CPU);
        using var positions = arange(0, 50).view(1, 1, 50).expand(3, 1, 50).contiguous();
        var (cos, _) = rotary.forward(positions, ScalarType.Float32);
        using var invFreq = 1.0 / pow(tensor(5_000_000f), arange(0, 128, 2).to(ScalarType.Float32) / 128);
        using var angles = arange(0, 50).to(ScalarType.Float32).unsqueeze(1) * invFreq;
        using var expected = cat([angles, angles], -1).cos();
        Assert.True(cos[0].allclose(expected, rtol: 0, atol: 0));
    }
}
