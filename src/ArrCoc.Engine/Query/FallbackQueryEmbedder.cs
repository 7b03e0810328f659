using System.Text;

namespace ArrCoc.Engine.Query;

/// <summary>
/// The "no model" query embedding: deterministic and clearly labelled "fallback". Character 3- to 5-grams of the
/// NFC-normalised, lower-cased question (padded with spaces) are hashed (FNV-1a, stable across runs and
/// machines) into D buckets with a hashed sign, then L2-normalised. Similar questions get similar vectors,
/// but it knows nothing of meaning; the integrated model's input embeddings replace it.
/// </summary>
public sealed class FallbackQueryEmbedder(int dimension = FallbackQueryEmbedder.DefaultDimension) : IQueryEmbedder
{
    /// <summary>Qwen3-VL-2B's hidden size.</summary>
    public const int DefaultDimension = 2048;

    public const string SourceName = "fallback";

    public string Source => SourceName;

    public int Dimension { get; } = dimension >= 1 ? dimension : throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "dimension must be positive");

    public float[] Embed(string question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var text = " " + question.Normalize(NormalizationForm.FormC).ToLowerInvariant().Trim() + " ";
        var vector = new double[Dimension];
        var runes = text.EnumerateRunes().Select(r => r.Value).ToArray();
        for (int n = 3; n <= 5; n++)
            for (int start = 0; start + n <= runes.Length; start++)
            {
                ulong hash = Fnv1a(runes.AsSpan(start, n), (ulong)n);
                int bucket = (int)(hash % (ulong)Dimension);
                vector[bucket] += (hash >> 63) == 0 ? 1.0 : -1.0;
            }
        double norm = Math.Sqrt(vector.Sum(v => v * v));
        return vector.Select(v => norm > 0 ? (float)(v / norm) : 0f).ToArray();
    }

    static ulong Fnv1a(ReadOnlySpan<int> codePoints, ulong salt)
    {
        ulong hash = 14695981039346656037UL ^ salt;
        foreach (var cp in codePoints)
            for (int shift = 0; shift < 32; shift += 8)
            {
                hash ^= (byte)(cp >> shift);
                hash *= 1099511628211UL;
            }
        return hash;
    }
}
