namespace ArrCoc.Engine.Training;

/// <summary>Where a run is in its data: epoch (0-based) and the index within that epoch's order.</summary>
public readonly record struct DataPosition(int Epoch, int Index);

/// <summary>
/// The order in which examples are visited: a fresh seeded shuffle (Fisher–Yates with System.Random seeded from
/// (seed, epoch), identical on every machine) per epoch, every example once per epoch. The position is saved with
/// each checkpoint, so a resumed run visits exactly the examples the uninterrupted one would.
/// </summary>
public sealed class DataOrder
{
    readonly int count;
    readonly long seed;
    int[] order;

    public DataOrder(int count, long seed, DataPosition start = default)
    {
        if (count < 1) throw new ArgumentException("there are no training examples");
        if (start.Epoch < 0 || start.Index < 0 || start.Index > count)
            throw new ArgumentOutOfRangeException(nameof(start), $"data position epoch {start.Epoch}, index {start.Index} is outside {count} examples");
        this.count = count;
        this.seed = seed;
        Position = start;
        order = Permutation(count, seed, start.Epoch);
    }

    public DataPosition Position { get; private set; }

    /// <summary>The next example's index (into the data as loaded); moves to the next epoch at the end of one.</summary>
    public int Next()
    {
        if (Position.Index == count)
        {
            Position = new DataPosition(Position.Epoch + 1, 0);
            order = Permutation(count, seed, Position.Epoch);
        }
        int example = order[Position.Index];
        Position = Position with { Index = Position.Index + 1 };
        return example;
    }

    /// <summary>Go back to an earlier position (an interrupted step is redone after a resume).</summary>
    public void Rewind(DataPosition position)
    {
        Position = position;
        order = Permutation(count, seed, position.Epoch);
    }

    /// <summary>The order of one epoch.</summary>
    public static int[] Permutation(int count, long seed, int epoch)
    {
        var order = Enumerable.Range(0, count).ToArray();
        var random = new Random(EpochSeed(seed, epoch));
        for (int i = count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>SplitMix64 of (seed, epoch), folded to a non-negative int.</summary>
    static int EpochSeed(long seed, int epoch)
    {
        ulong z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)epoch + 0x632BE59BD9B4E019UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }
}
