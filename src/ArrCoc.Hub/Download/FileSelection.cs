namespace ArrCoc.Hub;

/// <summary>
/// Which files of a repository to fetch. For a model: the top-level configs, tokenizer, processor and
/// generation files (*.json, *.txt, *.jinja, *.model, *.tiktoken) and the safetensors weights with their
/// index; not README, .gitattributes, other weight formats (*.bin, *.gguf, *.onnx) or sub-folders.
/// </summary>
public sealed class FileSelection
{
    static readonly string[] ModelExtensions = [".json", ".safetensors", ".txt", ".jinja", ".model", ".tiktoken"];

    readonly Func<string, bool> includes;

    FileSelection(string name, Func<string, bool> includes) => (Name, this.includes) = (name, includes);

    public string Name { get; }

    public static FileSelection ModelFiles { get; } = new("model files", path =>
        !path.Contains('/', StringComparison.Ordinal)
        && ModelExtensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase)));

    public static FileSelection AllFiles { get; } = new("all files", _ => true);

    /// <summary>Every file under a folder of the repository, e.g. "checkpoints/step-000300".</summary>
    public static FileSelection Folder(string folder)
    {
        var prefix = folder.Trim('/') + "/";
        return new FileSelection($"files under {prefix}", path => path.StartsWith(prefix, StringComparison.Ordinal));
    }

    public bool Includes(string path) => includes(path);

    public override string ToString() => Name;
}
