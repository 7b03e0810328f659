namespace ArrCoc.Engine.Training;

/// <summary>The run was cancelled (Ctrl-C) and saved a checkpoint first; resume from <see cref="Checkpoint"/>.</summary>
public sealed class TrainingInterruptedException(TrainingCheckpoint checkpoint, CancellationToken token)
    : OperationCanceledException($"training interrupted at step {checkpoint.State.Step}: checkpoint saved to {checkpoint.Directory}", token)
{
    public TrainingCheckpoint Checkpoint { get; } = checkpoint;
}
