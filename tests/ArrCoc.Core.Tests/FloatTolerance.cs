namespace ArrCoc.Core.Tests;

/// <summary>Element-wise float comparison within an absolute tolerance, for Assert.Equal on arrays.</summary>
internal sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
{
    public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

    public int GetHashCode(float obj) => 0;
}
