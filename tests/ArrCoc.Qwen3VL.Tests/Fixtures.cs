using ArrCoc.Qwen3VL.Fixture;
using ArrCoc.Qwen3VL.Processing;
using ArrCoc.Qwen3VL.Safetensors;

namespace ArrCoc.Qwen3VL.Tests;

/// <summary>Fixture checkpoints written once per test run (tiny: a few hundred KB each).</summary>
public sealed class FixtureCheckpoints : IDisposable
{
    readonly TempDirectory _root = new TempDirectory();

    public string Tied { get; }
    public string Untied { get; }
    public string Sharded { get; }
    public string Float32 { get; }

    public FixtureCheckpoints()
    {
        Tied = Write("tied", new FixtureOptions { Tied = true });
        Untied = Write("untied", new FixtureOptions());
        Sharded = Write("sharded", new FixtureOptions { Sharded = true });
        Float32 = Write("f32", new FixtureOptions { Tied = true, Dtype = SafetensorsDtype.F32 });
    }

    string Write(string name, FixtureOptions options)
    {
        var dir = Path.Combine(_root.Path, name);
        Qwen3VLFixture.Write(dir, options);
        return dir;
    }

    /// <summary>A scratch copy of a fixture folder (for tests that damage files).</summary>
    internal TempDirectory CopyOf(string dir)
    {
        var copy = new TempDirectory();
        foreach (var f in Directory.GetFiles(dir)) File.Copy(f, Path.Combine(copy.Path, Path.GetFileName(f)));
        return copy;
    }

    public void Dispose() => _root.Dispose();

    /// <summary>A deterministic RGB test image (smooth gradients plus a few edges).</summary>
    public static RgbImage Image(int width, int height)
    {
        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var o = 3 * (y * width + x);
                pixels[o] = (byte)(x * 255 / Math.Max(1, width - 1));
                pixels[o + 1] = (byte)(y * 255 / Math.Max(1, height - 1));
                pixels[o + 2] = (byte)(((x / 64) + (y / 64)) % 2 == 0 ? 40 : 220);
            }
        return new RgbImage(width, height, pixels);
    }
}

[CollectionDefinition(Name)]
public sealed class FixtureCollection : ICollectionFixture<FixtureCheckpoints>
{
    public const string Name = "fixture checkpoints";
}
