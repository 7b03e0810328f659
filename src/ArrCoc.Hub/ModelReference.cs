namespace ArrCoc.Hub;

/// <summary>
/// What a user typed after --model: an existing local folder (used as is) or a Hub id with an optional
/// revision, "Qwen/Qwen3-VL-2B-Instruct@main" (branch, tag or 40-hex commit; default "main").
/// </summary>
public sealed record ModelReference
{
    /// <summary>The default branch name.</summary>
    public const string DefaultRevision = "main";

    ModelReference(string? localFolder, RepoId? repo, string revision) => (LocalFolder, Repo, Revision) = (localFolder, repo, revision);

    /// <summary>Full path of a local model folder; null for a Hub id.</summary>
    public string? LocalFolder { get; }

    /// <summary>The Hub repository; null for a local folder.</summary>
    public RepoId? Repo { get; }

    /// <summary>Branch, tag or commit, e.g. "main".</summary>
    public string Revision { get; }

    public bool IsLocal => LocalFolder is not null;

    public static ModelReference Local(string folder) => new(Path.GetFullPath(folder), null, DefaultRevision);

    public static ModelReference Hub(RepoId repo, string? revision = null) =>
        new(null, repo, string.IsNullOrWhiteSpace(revision) ? DefaultRevision : revision.Trim());

    /// <summary>
    /// An existing folder wins; text that looks like a path ("./x", "/x", "~/x", "a/b/c") must exist;
    /// anything else must be a Hub id ("org/name[@revision]").
    /// </summary>
    public static ModelReference Parse(string text, string? revisionOverride = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        text = text.Trim();
        if (Directory.Exists(text)) return Local(text);
        var at = text.IndexOf('@', StringComparison.Ordinal);
        var id = at < 0 ? text : text[..at];
        if (LooksLikePath(id))
            throw new DirectoryNotFoundException($"model folder '{text}' does not exist (a Hub id looks like Qwen/Qwen3-VL-2B-Instruct).");
        var revision = at < 0 ? null : text[(at + 1)..];
        if (at >= 0 && string.IsNullOrWhiteSpace(revision))
            throw new ArgumentException($"'{text}': nothing after '@' (expected a branch, tag or commit, e.g. {id}@main).");
        if (!RepoId.TryParse(id, out var repo))
            throw new ArgumentException($"'{text}' is neither an existing folder nor a Hub model id like Qwen/Qwen3-VL-2B-Instruct[@revision].");
        return Hub(repo, revisionOverride ?? revision);
    }

    static bool LooksLikePath(string text) =>
        Path.IsPathRooted(text) || text.StartsWith('.') || text.StartsWith('~') || text.Contains('\\', StringComparison.Ordinal)
        || text.Count(c => c == '/') > 1;

    public override string ToString() => IsLocal ? LocalFolder! : $"{Repo}@{Revision}";
}
