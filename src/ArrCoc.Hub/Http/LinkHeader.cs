namespace ArrCoc.Hub;

/// <summary>GitHub-style pagination: Link: &lt;url&gt;; rel="next" (the URL already carries its query).</summary>
internal static class LinkHeader
{
    public static Uri? Next(HttpResponseMessage response, Uri current)
    {
        if (!response.Headers.TryGetValues("Link", out var values)) return null;
        foreach (var link in values.SelectMany(v => v.Split(',')))
        {
            var parts = link.Split(';', StringSplitOptions.TrimEntries);
            if (parts.Length < 2 || !parts[0].StartsWith('<') || !parts[0].EndsWith('>')) continue;
            if (parts.Skip(1).Any(p => p.Replace(" ", "", StringComparison.Ordinal) is "rel=\"next\"" or "rel=next"))
                return new Uri(current, parts[0][1..^1]);
        }
        return null;
    }
}
