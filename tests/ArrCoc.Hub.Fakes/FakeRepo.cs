using System.Security.Cryptography;
using System.Text;

namespace ArrCoc.Hub.Fakes;

/// <summary>A file of a fake repository. LFS files are served through the CDN and named by sha256, others by git sha1.</summary>
public sealed class FakeFile(string path, byte[] content, bool lfs)
{
    public string Path { get; } = path;

    public byte[] Content { get; } = content;

    public bool Lfs { get; } = lfs;

    public string Sha256 { get; } = Convert.ToHexStringLower(SHA256.HashData(content));

    public string GitSha1 { get; } = GitBlobSha1(content);

    /// <summary>The name huggingface_hub gives its blob.</summary>
    public string Etag => Lfs ? Sha256 : GitSha1;

    public static string GitBlobSha1(byte[] content) =>
        Convert.ToHexStringLower(SHA1.HashData([.. Encoding.ASCII.GetBytes($"blob {content.Length}\0"), .. content]));
}

/// <summary>A model repository at one commit on the fake Hub.</summary>
public sealed class FakeRepo(string id, params FakeFile[] files) : IFakeFiles
{
    public string Id { get; } = id;

    public string Commit { get; set; } = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(id)));

    public Dictionary<string, FakeFile> Files { get; } = files.ToDictionary(f => f.Path);

    public string GitPrefix => "";

    public bool TryGetFile(string path, out byte[] content, out bool lfs)
    {
        var found = Files.TryGetValue(path, out var file);
        (content, lfs) = found ? (file!.Content, file.Lfs) : ([], false);
        return found;
    }

    public void SetFile(string path, byte[] content, bool lfs) => Files[path] = new FakeFile(path, content, lfs);

    /// <summary>Only a valid token may see it (others get 401 RepoNotFound).</summary>
    public bool Private { get; set; }

    /// <summary>Anonymous: 401 GatedRepo; a token not in FakeHub.ApprovedTokens: 403 GatedRepo.</summary>
    public bool Gated { get; set; }

    /// <summary>A small Qwen-like model: two JSON files, a README and an LFS weight file of the given size.</summary>
    public static FakeRepo SmallModel(string id, int weightBytes = 300_000)
    {
        var weights = new byte[weightBytes];
        new Random(weightBytes).NextBytes(weights);
        return new FakeRepo(id,
            new FakeFile("config.json", Encoding.UTF8.GetBytes("{\"model_type\": \"qwen3_vl\", \"hidden_size\": 32}\n"), lfs: false),
            new FakeFile("tokenizer_config.json", Encoding.UTF8.GetBytes("{\"model_max_length\": 4096}\n"), lfs: false),
            new FakeFile("README.md", Encoding.UTF8.GetBytes("# a fake model\n"), lfs: false),
            new FakeFile("model.safetensors", weights, lfs: true));
    }
}
