using System.Text;
using System.Text.RegularExpressions;

namespace ArrCoc.Hub;

/// <summary>
/// .dockerignore rules (Docker's syntax): one pattern a line, '#' comments, '*' '?' '[...]' within a path segment,
/// '**' across segments, a leading '/' ignored, '!' re-includes; the last matching line wins, and a pattern that
/// matches a folder excludes everything below it.
/// </summary>
public sealed class DockerIgnore
{
    readonly List<(Regex Pattern, bool Exclude)> rules = [];

    public DockerIgnore(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var exclude = !line.StartsWith('!');
            var pattern = (exclude ? line : line[1..].Trim()).Replace('\\', '/').Trim('/');
            while (pattern.StartsWith("./", StringComparison.Ordinal)) pattern = pattern[2..];
            if (pattern.Length > 0) rules.Add((ToRegex(pattern), exclude));
        }
    }

    public static DockerIgnore Load(string repoRoot)
    {
        var path = Path.Combine(repoRoot, ".dockerignore");
        return new DockerIgnore(File.Exists(path) ? File.ReadAllText(path) : "");
    }

    /// <summary>True when Docker would leave this path (relative, '/'-separated) out of the build context.</summary>
    public bool IsExcluded(string path)
    {
        var excluded = false;
        foreach (var (pattern, exclude) in rules)
            if (MatchesSelfOrParent(pattern, path)) excluded = exclude;
        return excluded;
    }

    static bool MatchesSelfOrParent(Regex pattern, string path)
    {
        if (pattern.IsMatch(path)) return true;
        for (var slash = path.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = path.IndexOf('/', slash + 1))
            if (pattern.IsMatch(path[..slash])) return true;
        return false;
    }

    static Regex ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                var slashAfter = i + 2 < pattern.Length && pattern[i + 2] == '/';
                regex.Append(slashAfter ? "(.*/)?" : ".*");
                i += slashAfter ? 2 : 1;
            }
            else if (c == '*') regex.Append("[^/]*");
            else if (c == '?') regex.Append("[^/]");
            else if (c == '[' && pattern.IndexOf(']', i + 1) is var end and > 0)
            {
                var set = pattern[(i + 1)..end];
                var negated = set.StartsWith('!') || set.StartsWith('^');
                regex.Append(negated ? "[^" : "[").Append((negated ? set[1..] : set).Replace(@"\", @"\\", StringComparison.Ordinal)).Append(']');
                i = end;
            }
            else regex.Append(Regex.Escape(c.ToString()));
        }
        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
