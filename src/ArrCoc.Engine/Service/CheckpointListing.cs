namespace ArrCoc.Engine.Service;

/// <summary>The ARR-COC checkpoints on offer now, and why part of the list may be missing.</summary>
/// <param name="Choices">Configured default first, then an untrained seed, configured files, the local folder's, the Hub repository's.</param>
/// <param name="Problems">e.g. "hub: me/arrcoc-run: no such model or revision": a source that could not be listed (the rest still is).</param>
public sealed record CheckpointListing(IReadOnlyList<CheckpointChoice> Choices, IReadOnlyList<string> Problems);
