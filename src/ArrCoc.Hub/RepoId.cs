using System.Text.RegularExpressions;

namespace ArrCoc.Hub;

/// <summary>
/// A Hub repository id, "namespace/name" (e.g. "Qwen/Qwen3-VL-2B-Instruct"), or a bare legacy name ("gpt2").
/// Validated like huggingface_hub's validate_repo_id: letters, digits, '-', '_', '.', at most 96 per part,
/// no "--" or "..", not ending in ".git".
/// </summary>
public sealed partial record RepoId
{
    RepoId(string? ns, string name) => (Namespace, Name) = (ns, name);

    /// <summary>Owner (user or organisation), e.g. "Qwen"; null for a legacy canonical id.</summary>
    public string? Namespace { get; }

    /// <summary>Repository name, e.g. "Qwen3-VL-2B-Instruct".</summary>
    public string Name { get; }

    public static RepoId Parse(string text) =>
        TryParse(text, out var id) ? id : throw new ArgumentException(
            $"'{text}' is not a Hub repository id: expected NAMESPACE/NAME, e.g. Qwen/Qwen3-VL-2B-Instruct " +
            "(letters, digits, '-', '_', '.'; no '--' or '..').");

    public static bool TryParse(string? text, out RepoId id)
    {
        id = null!;
        if (text is null || !Shape().IsMatch(text) || text.Contains("--", StringComparison.Ordinal)
            || text.Contains("..", StringComparison.Ordinal) || text.EndsWith(".git", StringComparison.Ordinal))
            return false;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        id = slash < 0 ? new RepoId(null, text) : new RepoId(text[..slash], text[(slash + 1)..]);
        return true;
    }

    /// <summary>Cache folder name, e.g. "models--Qwen--Qwen3-VL-2B-Instruct" (huggingface_hub's repo_folder_name).</summary>
    public string CacheFolderName(RepoKind kind = RepoKind.Model) =>
        kind.ApiSegment() + "--" + ToString().Replace("/", "--", StringComparison.Ordinal);

    public override string ToString() => Namespace is null ? Name : Namespace + "/" + Name;

    [GeneratedRegex(@"^([\w\-.]{1,96}/)?[\w\-.]{1,96}$")]
    private static partial Regex Shape();
}
