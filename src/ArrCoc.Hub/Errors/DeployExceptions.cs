namespace ArrCoc.Hub;

/// <summary>A deploy step failed in a way the user can act on (the CLI prints it as one line and exits 1).</summary>
public class DeployException(string message, Exception? inner = null) : IOException(message, inner);

/// <summary>A Space or GitHub repository is (still) public: deploy refuses to push code to it.</summary>
public sealed class NotPrivateException(string message) : DeployException(message);

/// <summary>The Space stopped in an error stage (BUILD_ERROR, RUNTIME_ERROR, ...); the message carries the Hub's error and log tail.</summary>
public sealed class SpaceFailedException(string stage, string message) : DeployException(message)
{
    public string Stage { get; } = stage;
}
