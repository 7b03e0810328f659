namespace ArrCoc.Testing;

/// <summary>For tests that read process-wide counts (e.g. TorchSharp's live tensors).</summary>
internal static class Finalizers
{
    /// <summary>A full collection with finalizers run, so what earlier work left to the finalizer is counted off now.</summary>
    public static void RunAll()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
