namespace ArrCoc.Hub;

/// <summary>The Hub's repository types and how each appears in URLs and cache folder names.</summary>
public enum RepoKind
{
    Model,
    Dataset,
    Space,
}

public static class RepoKindExtensions
{
    /// <summary>JSON API segment: "models", "datasets", "spaces" (as in /api/models/{id}).</summary>
    public static string ApiSegment(this RepoKind kind) => kind switch
    {
        RepoKind.Model => "models",
        RepoKind.Dataset => "datasets",
        _ => "spaces",
    };

    /// <summary>Web/file URL prefix: "" for models, "datasets/", "spaces/".</summary>
    public static string UrlPrefix(this RepoKind kind) => kind == RepoKind.Model ? "" : kind.ApiSegment() + "/";

    /// <summary>Type name in create/delete bodies: "model", "dataset", "space".</summary>
    public static string TypeName(this RepoKind kind) => kind.ApiSegment().TrimEnd('s');
}
