using ArrCoc.Engine.Analysis;
using Microsoft.Extensions.Options;

namespace ArrCoc.Engine.Service;

/// <summary>
/// The prepared images (tensors) the engine holds for open sessions, at most <see cref="EngineOptions.MaxImages"/>
/// (least recently used evicted). Released images are disposed by the inference worker between jobs, so a tensor is
/// never freed while a job uses it.
/// </summary>
public sealed class ImageStore(IOptions<EngineOptions> options)
{
    readonly object gate = new();
    readonly Dictionary<Guid, LinkedListNode<(Guid Id, PreparedImage Image)>> byId = [];
    readonly LinkedList<(Guid Id, PreparedImage Image)> recency = []; // most recent first
    readonly List<PreparedImage> released = [];

    public int Capacity { get; } = options.Value.MaxImages;

    public int Count
    {
        get { lock (gate) return byId.Count; }
    }

    /// <summary>Hold a prepared image (worker thread); evicts the least recently used beyond capacity.</summary>
    internal Guid Add(PreparedImage image)
    {
        var id = Guid.NewGuid();
        lock (gate)
        {
            byId[id] = recency.AddFirst((id, image));
            while (byId.Count > Capacity) Drop(recency.Last!.Value.Id);
        }
        return id;
    }

    /// <summary>The prepared image of a handle (worker thread), or a clear error when it is no longer held.</summary>
    internal PreparedImage Get(ImageHandle handle)
    {
        lock (gate)
        {
            if (!byId.TryGetValue(handle.Id, out var node))
                throw new ArgumentException($"{handle.Name} is no longer held by the server (too many images open, or the session ended); load it again");
            recency.Remove(node);
            recency.AddFirst(node);
            return node.Value.Image;
        }
    }

    /// <summary>Let an image go (any thread); the worker disposes it before its next job.</summary>
    public void Release(Guid id)
    {
        lock (gate) Drop(id);
    }

    /// <summary>Dispose what was released (worker thread, between jobs).</summary>
    internal void DisposeReleased()
    {
        PreparedImage[] toDispose;
        lock (gate)
        {
            toDispose = [.. released];
            released.Clear();
        }
        foreach (var image in toDispose) image.Dispose();
    }

    /// <summary>Release and dispose everything (worker thread, at shutdown).</summary>
    internal void Clear()
    {
        lock (gate)
            foreach (var id in byId.Keys.ToArray()) Drop(id);
        DisposeReleased();
    }

    void Drop(Guid id)
    {
        if (!byId.Remove(id, out var node)) return;
        recency.Remove(node);
        released.Add(node.Value.Image);
    }
}
