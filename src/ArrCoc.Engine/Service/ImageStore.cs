using ArrCoc.Engine.Analysis;
using Microsoft.Extensions.Options;

namespace ArrCoc.Engine.Service;

/// <summary>
/// The prepared images (tensors) the engine holds for open sessions, at most <see cref="EngineOptions.MaxImages"/>
/// (least recently used evicted). An image let go while a job runs is disposed by the worker when the job ends, so a
/// tensor is never freed while a job may use it; one let go while the worker is idle is disposed at once.
/// </summary>
public sealed class ImageStore(IOptions<EngineOptions> options)
{
    readonly object gate = new();
    readonly Dictionary<Guid, LinkedListNode<(Guid Id, PreparedImage Image)>> byId = [];
    readonly LinkedList<(Guid Id, PreparedImage Image)> recency = []; // most recent first
    readonly List<PreparedImage> released = [];
    bool jobRunning;

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

    /// <summary>Let an image go (any thread): disposed now when the worker is idle, else when its job ends.</summary>
    public void Release(Guid id)
    {
        lock (gate)
        {
            Drop(id);
            if (jobRunning) return;
        }
        DisposeReleased();
    }

    /// <summary>The worker starts a job: images let go from now on wait for <see cref="EndJob"/>.</summary>
    internal void BeginJob()
    {
        lock (gate) jobRunning = true;
    }

    /// <summary>The worker's job ended: dispose what was let go meanwhile.</summary>
    internal void EndJob()
    {
        lock (gate) jobRunning = false;
        DisposeReleased();
    }

    void DisposeReleased()
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
        {
            foreach (var id in byId.Keys.ToArray()) Drop(id);
            jobRunning = false;
        }
        DisposeReleased();
    }

    void Drop(Guid id)
    {
        if (!byId.Remove(id, out var node)) return;
        recency.Remove(node);
        released.Add(node.Value.Image);
    }
}
