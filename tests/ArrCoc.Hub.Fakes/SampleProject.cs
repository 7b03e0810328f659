using System.Text;

namespace ArrCoc.Hub.Fakes;

/// <summary>
/// A small git repository shaped like the product: Dockerfile, README with Space front matter, .dockerignore,
/// sources, a binary asset (LFS), a folder .dockerignore leaves out, and an untracked file.
/// </summary>
public sealed class SampleProject : IDisposable
{
    public SampleProject()
    {
        Write("Dockerfile", "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nEXPOSE 7860\n");
        Write("README.md", "---\ntitle: ARR-COC Microscope\nsdk: docker\napp_port: 7860\n---\n# Microscope\n");
        Write(".dockerignore", "docs/\n**/bin/\n*.log\n");
        Write("src/App/Program.cs", "Console.WriteLine(1);\n");
        Write("src/App/App.csproj", "<Project />\n");
        Write("docs/notes.md", "not in the image\n");
        Write("build.log", "not in the image\n");
        var png = new byte[4096];
        new Random(7).NextBytes(png);
        png[3] = 0; // binary: preupload says LFS
        File.WriteAllBytes(Path.Combine(Root, "logo.png"), png);
        FakeGitHub.Git(Root, "init", "--quiet", "-b", "main");
        FakeGitHub.Git(Root, "add", ".");
        FakeGitHub.Git(Root, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", "initial");
        Write("untracked.txt", "never uploaded\n");
    }

    public string Root { get; } = Directory.CreateTempSubdirectory("arrcoc-sample-project-").FullName;

    /// <summary>What deploy must upload: tracked files minus .dockerignore exclusions.</summary>
    public static readonly string[] UploadedPaths = [".dockerignore", "Dockerfile", "README.md", "logo.png", "src/App/App.csproj", "src/App/Program.cs"];

    public void Write(string path, string text)
    {
        var full = Path.Combine(Root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
