using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using ArrCoc.Qwen3VL.Text;
using ArrCoc.Qwen3VL.Tokenization;
using static TorchSharp.torch;

namespace ArrCoc.Qwen3VL.Generation;

// Shapes: S prompt tokens (batch 1), D hidden, V vocabulary.

/// <summary>
/// Autoregressive decoding with a KV cache: one prefill forward, then one token per step at position
/// c + rope_delta on all three M-RoPE axes. Streams text pieces assembled from UTF-8 across tokens; stops on an eos
/// id or after max-new-tokens; honours cancellation between tokens. Runs under no_grad; each step is synchronous
/// with its own dispose scope (no await inside a scope).
/// </summary>
public sealed class Qwen3VLGenerator
{
    readonly Qwen3VLForConditionalGeneration _model;
    readonly Qwen2Tokenizer _tokenizer;

    public Qwen3VLGenerator(Qwen3VLForConditionalGeneration model, Qwen2Tokenizer tokenizer)
    {
        _model = model;
        _tokenizer = tokenizer;
    }

    public async IAsyncEnumerable<string> GenerateAsync(Prefill prefill, GenerationOptions options, GenerationTrace? trace = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        options.Validate();
        if (prefill.InputsEmbeds.dim() != 3 || prefill.InputsEmbeds.shape[0] != 1)
            throw new ArgumentException($"generation takes one sequence: inputs_embeds must be [1, S, D], got [{string.Join(", ", prefill.InputsEmbeds.shape)}].");
        var s = prefill.InputsEmbeds.shape[1];
        if (prefill.InputIds.NumberOfElements != s)
            throw new ArgumentException($"input_ids has {prefill.InputIds.NumberOfElements} tokens but inputs_embeds has {s}.");
        trace ??= new GenerationTrace();
        var seen = ReadIds(prefill.InputIds);
        var eos = options.EosTokenIds.ToHashSet();
        var generator = options.Greedy ? null : new Generator((ulong)(options.Seed ?? Random.Shared.NextInt64()), CPU);
        var decoder = _tokenizer.CreateStreamingDecoder(skipSpecialTokens: true);
        var text = new StringBuilder();
        var delta = prefill.RopeDelta ?? RopeDeltaOf(prefill.PositionIds, s);

        using var cache = new KvCache(_model.Config.TextConfig.NumHiddenLayers);
        Tensor? logits = null;                       // [V] float32 of the current step, detached from scopes
        try
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            logits = PrefillStep(prefill, cache);
            trace.PrefillSeconds = clock.Elapsed.TotalSeconds;
            trace.FirstStepLogits = logits.data<float>().ToArray();
            clock.Restart();
            for (var step = 0; step < options.MaxNewTokens; step++)
            {
                var next = Choose(logits, seen, options, generator);
                seen.Add(next);
                trace.GeneratedIds.Add(next);
                if (eos.Contains(next))
                {
                    trace.StopReason = "eos";
                    break;
                }
                var piece = decoder.Push(checked((int)next));
                if (piece.Length > 0)
                {
                    text.Append(piece);
                    trace.Text = text.ToString();
                    yield return piece;
                }
                if (step == options.MaxNewTokens - 1)
                {
                    trace.StopReason = "max_new_tokens";
                    break;
                }
                await Task.Yield();
                cancellationToken.ThrowIfCancellationRequested();
                logits.Dispose();
                logits = DecodeStep(next, s + step + delta, cache);
                trace.DecodeSeconds = clock.Elapsed.TotalSeconds;
            }
            trace.DecodeSeconds = clock.Elapsed.TotalSeconds;
        }
        finally
        {
            logits?.Dispose();
        }
        var rest = decoder.Flush();
        if (rest.Length > 0)
        {
            text.Append(rest);
            trace.Text = text.ToString();
            yield return rest;
        }
    }

    static List<long> ReadIds(Tensor ids)
    {
        using var cpu = ids.to(ScalarType.Int64, CPU);
        using var flat = cpu.reshape(-1);
        return flat.data<long>().ToList();
    }

    static long RopeDeltaOf(Tensor positionIds, long s)
    {
        using var max = positionIds.max();
        return max.item<long>() + 1 - s;
    }

    Tensor PrefillStep(Prefill prefill, KvCache cache)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var logits = _model.ForwardEmbeds(prefill.InputsEmbeds, prefill.PositionIds, cache, null, prefill.Visual, lastPositionOnly: true); // [1, 1, V]
        return logits.reshape(-1).to(ScalarType.Float32, CPU).DetachFromDisposeScope();
    }

    /// <param name="token">the token fed at this step</param>
    /// <param name="position">its M-RoPE position on all three axes = cache position + rope delta</param>
    Tensor DecodeStep(long token, long position, KvCache cache)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var ids = tensor(new[] { token }, [1, 1], ScalarType.Int64, _model.Device);
        var embeds = _model.Model.LanguageModel.EmbedTokens(ids);                          // [1, 1, D]
        var positions = full([3, 1, 1], position, ScalarType.Int64, _model.Device);        // [3, 1, 1]
        var logits = _model.ForwardEmbeds(embeds, positions, cache, null, null, lastPositionOnly: true);
        return logits.reshape(-1).to(ScalarType.Float32, CPU).DetachFromDisposeScope();
    }

    /// <summary>Repetition penalty, then (sampling) temperature → top-k → top-p → softmax → multinomial; or argmax.</summary>
    static long Choose(Tensor logits, List<long> seen, GenerationOptions options, Generator? generator)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var scores = logits;
        if (options.RepetitionPenalty != 1.0)
            scores = LogitsProcessing.RepetitionPenalty(scores, tensor(seen.Distinct().ToArray(), ScalarType.Int64), options.RepetitionPenalty);
        if (options.Greedy) return scores.argmax().item<long>();
        scores = scores / options.Temperature;
        scores = LogitsProcessing.TopK(scores, options.TopK);
        scores = LogitsProcessing.TopP(scores, options.TopP);
        var probabilities = scores.softmax(0);
        return multinomial(probabilities, 1, generator: generator).item<long>();
    }
}
