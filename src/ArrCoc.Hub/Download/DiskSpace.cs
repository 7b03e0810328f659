namespace ArrCoc.Hub;

/// <summary>Free bytes on the disk holding a folder (the probe is replaceable for tests).</summary>
public delegate long FreeSpaceProbe(string folder);

internal static class DiskSpace
{
    public static long Available(string folder) => new DriveInfo(folder).AvailableFreeSpace;

    /// <summary>Throws before anything is downloaded when the files still missing do not fit.</summary>
    public static void Ensure(FreeSpaceProbe probe, string folder, long needed, long margin, string what)
    {
        var available = probe(folder);
        if (needed + margin <= available) return;
        throw new InsufficientDiskSpaceException(
            $"not enough disk space for {what}: {Bytes(needed)} to download (+{Bytes(margin)} margin) but {Bytes(available)} free in {folder}; " +
            "free some space or point HF_HUB_CACHE (or --cache) at a larger disk.", needed, available);
    }

    public static string Bytes(long n) => n switch
    {
        >= 1L << 30 => $"{n / (double)(1L << 30):0.00} GiB",
        >= 1L << 20 => $"{n / (double)(1L << 20):0.0} MiB",
        >= 1L << 10 => $"{n / 1024.0:0.0} KiB",
        _ => $"{n} bytes",
    };
}
