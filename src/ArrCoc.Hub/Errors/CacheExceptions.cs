namespace ArrCoc.Hub;

/// <summary>Offline (HF_HUB_OFFLINE=1 or downloads not allowed) and the model is not in the cache.</summary>
public sealed class ModelNotCachedException(string message) : IOException(message);

/// <summary>The cache's disk lacks room for the files still to download; both numbers in the message.</summary>
public sealed class InsufficientDiskSpaceException(string message, long needed, long available) : IOException(message)
{
    public long NeededBytes { get; } = needed;

    public long AvailableBytes { get; } = available;
}

/// <summary>A downloaded or cached file does not hash to its etag (sha256 for LFS files, git sha1 otherwise).</summary>
public sealed class BlobIntegrityException(string message) : IOException(message);
