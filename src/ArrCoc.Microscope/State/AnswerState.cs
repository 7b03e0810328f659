using ArrCoc.Engine.Analysis;
using ArrCoc.Engine.Answering;
using ArrCoc.Engine.Integration;
using ArrCoc.Engine.Service;

namespace ArrCoc.Microscope.State;

/// <summary>Which visual tokens an answer is made from.</summary>
public enum AnswerTokens
{
    /// <summary>The K cells ARR-COC kept.</summary>
    Kept,

    /// <summary>Every cell (the unmodified model, for comparison).</summary>
    All,
}

/// <summary>Where one answer stands.</summary>
public enum AnswerPhase { Idle, Queued, Running, Done, Cancelled, Failed }

/// <summary>
/// One streamed answer (from the kept tokens, or from all of them): its phase, queue position, text so far and the
/// finished result. Worker callbacks replace whole values (string, int), so a render never sees a half-written one.
/// </summary>
public sealed class AnswerState(AnswerTokens tokens)
{
    public AnswerTokens Tokens { get; } = tokens;

    public AnswerPhase Phase { get; private set; }

    /// <summary>Position in line while queued (1 = next).</summary>
    public int Position { get; private set; }

    public string Text { get; private set; } = "";

    /// <summary>The finished answer: the same record `arrcoc ask` produces.</summary>
    public AskResult? Result { get; private set; }

    /// <summary>When it finished (server clock, UTC ticks): the load check reads the queue's completion order from it.</summary>
    public long FinishedTicks { get; private set; }

    public bool IsActive => Phase is AnswerPhase.Queued or AnswerPhase.Running;

    /// <summary>Whether the latest request produced anything (its analysis or a piece of text).</summary>
    public bool Received { get; private set; }

    int run; // bumped by every reset: a request started before it (cancelled, or for an earlier image) writes nothing more

    bool IsCurrent(int request) => Volatile.Read(ref run) == request;

    public void Reset()
    {
        Interlocked.Increment(ref run);
        Phase = AnswerPhase.Idle;
        Position = 0;
        Text = "";
        Result = null;
        FinishedTicks = 0;
        Received = false;
    }

    /// <summary>What is shown now, to put back when a new request is refused before producing anything.</summary>
    public Saved Save() => new(Phase, Text, Result, FinishedTicks);

    public void Restore(Saved saved)
    {
        Reset();
        (Phase, Text, Result, FinishedTicks) = (saved.Phase, saved.Text, saved.Result, saved.FinishedTicks);
    }

    public sealed record Saved(AnswerPhase Phase, string Text, AskResult? Result, long FinishedTicks);

    /// <summary>Ask, following the stream; errors other than cancellation are rethrown after the phase is set.</summary>
    internal async Task RunAsync(EngineService engine, ImageHandle image, AnalysisRequest request, Action<AnalysisResult>? analyzed,
        Action changed, CancellationToken cancellationToken)
    {
        Reset();
        int mine = Volatile.Read(ref run);
        Phase = AnswerPhase.Queued;
        changed();
        var progress = new SyncProgress<AskUpdate>(update =>
        {
            if (!IsCurrent(mine)) return;
            switch (update)
            {
                case AskUpdate.Queued { Position: 0 }:
                    Phase = AnswerPhase.Running;
                    break;
                case AskUpdate.Queued queued:
                    Position = queued.Position;
                    break;
                case AskUpdate.Analyzed a:
                    Received = true;
                    analyzed?.Invoke(a.Analysis);
                    break;
                case AskUpdate.Token token:
                    Received = true;
                    Text += token.Text;
                    break;
            }
            changed();
        });
        try
        {
            var ask = new AskRequest
            {
                Question = request.Question,
                K = request.K,
                Ablation = request.Ablation,
                AllTokens = Tokens == AnswerTokens.All,
                Settings = new AnswerSettings { MaxNewTokens = engine.Settings.MaxAnswerTokens },
            };
            var result = await engine.AskAsync(image, ask, progress, cancellationToken);
            if (!IsCurrent(mine)) return;
            result.Trace.FirstStepLogits = null; // a vocabulary-sized vector (~600 KB) the page never shows
            Result = result;
            Text = Result.Text;
            Phase = AnswerPhase.Done;
        }
        catch (OperationCanceledException)
        {
            if (IsCurrent(mine)) Phase = AnswerPhase.Cancelled;
        }
        catch
        {
            if (IsCurrent(mine)) Phase = AnswerPhase.Failed;
            throw;
        }
        finally
        {
            if (IsCurrent(mine))
            {
                FinishedTicks = DateTime.UtcNow.Ticks;
                changed();
            }
        }
    }
}
