namespace ArrCoc.Hub;

/// <summary>Where a model reference came from.</summary>
public enum ModelSource
{
    /// <summary>A folder the user named.</summary>
    LocalFolder,

    /// <summary>A snapshot already in the Hugging Face cache (no request made).</summary>
    Cache,

    /// <summary>Downloaded from the Hub just now.</summary>
    Downloaded,
}

/// <summary>
/// A model folder ready to load: config.json, tokenizer and safetensors side by side. For a Hub model,
/// Folder is the cache's snapshots/{commit} folder.
/// </summary>
public sealed record ResolvedModel(string Folder, ModelSource Source, RepoId? Repo = null, string? Commit = null);
