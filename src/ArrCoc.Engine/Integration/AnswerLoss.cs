using ArrCoc.Core;
using ArrCoc.Core.Balancing;
using ArrCoc.Engine.Analysis;
using ArrCoc.Qwen3VL;
using ArrCoc.Qwen3VL.Processing;
using ArrCoc.Qwen3VL.Text;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ArrCoc.Engine.Integration;

// Shapes: K kept cells, S' pruned prompt tokens, A answer tokens (answer + <|im_end|>), D text hidden, V vocabulary.

/// <summary>The training signal of one example: the loss and what produced it. Owns its tensors.</summary>
public sealed class AnswerLossOutput : IDisposable
{
    /// <summary>Scalar cross-entropy over the answer tokens (mean), with ARR-COC's gradient graph.</summary>
    public required Tensor Loss { get; init; }

    /// <summary>[1, S' + A, V] logits of the whole teacher-forced sequence.</summary>
    public required Tensor Logits { get; init; }

    /// <summary>The pipeline pass (texture, maps, weights, balanced, kept), gradients attached.</summary>
    public required RelevanceTensors Relevance { get; init; }

    /// <summary>Kept cells, ascending.</summary>
    public required int[] Kept { get; init; }

    /// <summary>A: answer tokens scored (the answer and &lt;|im_end|&gt;).</summary>
    public required int AnswerTokens { get; init; }

    public void Dispose()
    {
        Loss.Dispose();
        Logits.Dispose();
        Relevance.Dispose();
    }
}

/// <summary>
/// The integration's training hook: cross-entropy of the answer tokens (teacher-forced after the chat template's
/// assistant prefix) through ARR-COC's selection. Top-K is bridged by <see cref="StraightThrough"/>: the kept
/// rows are multiplied by s / stop_grad(s), so the forward pass is the inference pass exactly and the loss
/// reaches the balancer and the participatory scorer; Qwen3-VL is frozen and gets no gradient.
/// </summary>
public static class AnswerLoss
{
    /// <param name="straightThrough">False uses the plain kept rows (no gradient to ARR-COC): the reference for the forward-identity test.</param>
    /// <param name="promptSuffix">An instruction after the question in the chat prompt (<see cref="QuestionPrompt"/>); the query embedding uses the question alone.</param>
    public static AnswerLossOutput Compute(ArrCocQwen model, PreparedImage image, string question, string answer, int k,
        BalancerOverride? ablation = null, bool straightThrough = true, string? promptSuffix = null)
    {
        if (string.IsNullOrWhiteSpace(answer)) throw new ArgumentException("the answer to train on is empty");
        using var prompt = model.PreparePrompt(image, QuestionPrompt.Compose(question, promptSuffix));
        var vision = prompt.Vision!;
        var qwen = model.Qwen;
        var device = qwen.Model.Device;

        using var scope = NewDisposeScope();
        var query = model.QueryEmbedder.EmbedTensor(question);                                   // [D]
        var relevance = model.Analyzer.Pipeline.Forward(image.Pixels, query, k, ablation);        // gradients on
        var keptIndex = relevance.Kept[0];                                                       // [K] int64
        var kept = keptIndex.to(ScalarType.Int32).data<int>().ToArray();
        var rows = vision.ImageEmbeds.index_select(0, keptIndex.to(device));                     // [K, D]
        if (straightThrough)
            rows = StraightThrough.Apply(rows, relevance.Balanced[0].gather(0, keptIndex).to(device)); // [K, D], equal values
        using var pruned = model.Select(prompt, kept, rows);

        var answerIds = qwen.Tokenizer.Encode(answer).Select(i => (long)i)
            .Append(qwen.Tokenizer.RequireTokenId("<|im_end|>")).ToArray();
        int a = answerIds.Length;
        long s = pruned.InputIds.shape[1];
        var targets = tensor(answerIds, [1, a], ScalarType.Int64, device);                      // [1, A]
        var answerEmbeds = qwen.Model.Model.LanguageModel.EmbedTokens(targets);                 // [1, A, D]
        var embeds = cat([pruned.InputsEmbeds, answerEmbeds], dim: 1);                          // [1, S' + A, D]
        long next = pruned.PositionIds.max().item<long>() + 1;                                  // decoding continues at max + 1
        var answerPositions = arange(next, next + a, dtype: ScalarType.Int64, device: device).view(1, 1, a).expand(3, 1, a); // [3, 1, A]
        var positions = cat([pruned.PositionIds, answerPositions], dim: 2);                     // [3, 1, S' + A]
        var visual = new VisualInjection(pruned.VisualPositions, pruned.Deepstack);
        var logits = qwen.Model.ForwardEmbeds(embeds, positions, null, null, visual);           // [1, S' + A, V]
        var predicted = logits[0, (int)(s - 1)..(int)(s - 1 + a)];                              // [A, V] predicts answer token j
        var loss = F.cross_entropy(predicted.to(ScalarType.Float32), targets[0]);               // scalar

        return new AnswerLossOutput
        {
            Loss = loss.MoveToOuterDisposeScope(),
            Logits = logits.MoveToOuterDisposeScope(),
            Relevance = relevance.MoveToOuterDisposeScope(),
            Kept = kept,
            AnswerTokens = a,
        };
    }
}
