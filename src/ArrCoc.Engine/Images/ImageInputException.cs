namespace ArrCoc.Engine.Images;

/// <summary>An image the user gave cannot be used: unreadable, unsupported, too large. The message says why.</summary>
public sealed class ImageInputException(string message, Exception? inner = null) : ArgumentException(message, inner);
