namespace ArrCoc.Engine.Training;

/// <summary>
/// A record could not be trained on (an unreadable image, an over-long question): the step it was in is dropped and,
/// when this session completed steps, a checkpoint of the last one is saved first (<see cref="Checkpoint"/>), so
/// the work done is kept and the run continues with --resume once the record is fixed.
/// </summary>
public sealed class TrainingStoppedException(Exception cause, TrainingCheckpoint? checkpoint)
    : IOException(cause.Message + (checkpoint is null
        ? "; no step was completed in this session, so nothing was saved"
        : $"; the steps before it are kept: checkpoint of step {checkpoint.State.Step} saved to {checkpoint.Directory} (fix the record, then resume with `arrcoc train --resume {checkpoint.Directory}`)"), cause)
{
    public TrainingCheckpoint? Checkpoint { get; } = checkpoint;
}
