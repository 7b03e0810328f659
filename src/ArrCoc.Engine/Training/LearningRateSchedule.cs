namespace ArrCoc.Engine.Training;

/// <summary>
/// Linear warm-up to the peak, then a half cosine from the peak (first step after the warm-up) down to
/// MinLearningRateRatio × peak (the last step).
/// Steps are numbered from 1 (the step about to be taken); the value depends on the step alone, so a resumed run
/// gets the same rates.
/// </summary>
public static class LearningRateSchedule
{
    public static double At(int step, TrainingOptions options)
    {
        double peak = options.LearningRate;
        int warmup = options.Warmup;
        if (step <= warmup) return peak * step / Math.Max(1, warmup);
        int decaySteps = options.Steps - warmup;
        if (decaySteps <= 1) return peak;
        double progress = Math.Clamp((double)(step - warmup - 1) / (decaySteps - 1), 0, 1);
        double floor = peak * options.MinLearningRateRatio;
        return floor + (peak - floor) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
