using static TorchSharp.torch;

namespace ArrCoc.Qwen3VL.Text;

/// <summary>
/// Per-layer cache of post-rotary keys and values, each [B, Hkv, T, Dh]. Owns its tensors (detached from dispose
/// scopes); dispose it when the sequence is done. Appending concatenates, so it also works with autograd on.
/// </summary>
public sealed class KvCache : IDisposable
{
    readonly Tensor?[] _keys;
    readonly Tensor?[] _values;

    public KvCache(int layers)
    {
        _keys = new Tensor?[layers];
        _values = new Tensor?[layers];
    }

    /// <summary>Tokens already cached (T of layer 0).</summary>
    public long SeqLength => _keys[0]?.shape[2] ?? 0;

    /// <summary>Appends [B, Hkv, S, Dh] to layer <paramref name="layer"/> and returns the whole [B, Hkv, T + S, Dh] keys and values (owned by the cache).</summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        var k = _keys[layer] is { } pk ? cat([pk, keys], 2) : keys.alias();
        var v = _values[layer] is { } pv ? cat([pv, values], 2) : values.alias();
        _keys[layer]?.Dispose();
        _values[layer]?.Dispose();
        _keys[layer] = k.DetachFromDisposeScope();
        _values[layer] = v.DetachFromDisposeScope();
        return (k, v);
    }

    public void Dispose()
    {
        for (var i = 0; i < _keys.Length; i++)
        {
            _keys[i]?.Dispose();
            _values[i]?.Dispose();
            _keys[i] = _values[i] = null;
        }
    }
}
