using System.Globalization;
using ArrCoc.Core;
using ArrCoc.Core.Checkpoints;
using TorchSharp.Modules;

namespace ArrCoc.Engine.Training;

/// <summary>
/// A training checkpoint folder, OUT/checkpoints/step-000300/:
/// <code>
/// arrcoc.safetensors   ARR-COC's weights with the seed's keys (loads anywhere a checkpoint is accepted)
/// optimizer.bin        AdamW's state (step count, first and second moments per parameter), TorchSharp's format
/// state.json           step, data position, configuration, model, data, metrics (<see cref="TrainingState"/>)
/// </code>
/// Written to a temporary folder and renamed, so a folder that exists is complete.
/// </summary>
public sealed record TrainingCheckpoint(string Directory, TrainingState State)
{
    public const string WeightsFile = "arrcoc.safetensors";
    public const string OptimizerFile = "optimizer.bin";
    public const string StateFile = "state.json";
    public const string CheckpointsFolder = "checkpoints";

    public string Name => Path.GetFileName(Directory);

    public string WeightsPath => Path.Combine(Directory, WeightsFile);

    public string OptimizerPath => Path.Combine(Directory, OptimizerFile);

    /// <summary>"step-000300".</summary>
    public static string FolderName(int step) => "step-" + step.ToString("D6", CultureInfo.InvariantCulture);

    public static TrainingCheckpoint Save(string runDirectory, ArrCocModel model, AdamW optimizer, TrainingState state)
    {
        var root = Path.Combine(runDirectory, CheckpointsFolder);
        System.IO.Directory.CreateDirectory(root);
        var final = Path.Combine(root, FolderName(state.Step));
        var temp = final + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        System.IO.Directory.CreateDirectory(temp);
        try
        {
            ArrCocCheckpoint.Save(model, Path.Combine(temp, WeightsFile), new Dictionary<string, string>
            {
                ["arrcoc.step"] = state.Step.ToString(CultureInfo.InvariantCulture),
                ["arrcoc.model"] = state.Model,
                ["arrcoc.train_loss"] = state.Metrics.LossMean10.ToString("R", CultureInfo.InvariantCulture),
            });
            optimizer.save_state_dict(Path.Combine(temp, OptimizerFile));
            state.Write(Path.Combine(temp, StateFile));
            if (System.IO.Directory.Exists(final)) System.IO.Directory.Delete(final, recursive: true);
            System.IO.Directory.Move(temp, final);
        }
        catch
        {
            if (System.IO.Directory.Exists(temp)) System.IO.Directory.Delete(temp, recursive: true);
            throw;
        }
        return new TrainingCheckpoint(final, state);
    }

    /// <summary>
    /// A checkpoint folder (holding state.json), or a run folder (its latest checkpoint: the highest step under
    /// checkpoints/).
    /// </summary>
    public static TrainingCheckpoint Open(string path)
    {
        var full = Path.GetFullPath(path);
        if (!System.IO.Directory.Exists(full)) throw new DirectoryNotFoundException($"checkpoint folder not found: {path}");
        if (!File.Exists(Path.Combine(full, StateFile)))
            full = Latest(full) ?? throw new FileNotFoundException($"{path} is neither a checkpoint folder (no {StateFile}) nor a run folder with checkpoints/step-* in it");
        foreach (var file in new[] { WeightsFile, OptimizerFile, StateFile })
            if (!File.Exists(Path.Combine(full, file))) throw new FileNotFoundException($"checkpoint {full} is incomplete: {file} is missing", Path.Combine(full, file));
        return new TrainingCheckpoint(full, TrainingState.Read(Path.Combine(full, StateFile)));
    }

    /// <summary>The checkpoint folder with the highest step under RUN/checkpoints, or null.</summary>
    public static string? Latest(string runDirectory)
    {
        var root = Path.Combine(runDirectory, CheckpointsFolder);
        if (!System.IO.Directory.Exists(root)) return null;
        return System.IO.Directory.GetDirectories(root, "step-*")
            .Where(d => int.TryParse(Path.GetFileName(d)["step-".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out _)
                && File.Exists(Path.Combine(d, StateFile)))
            .OrderBy(d => int.Parse(Path.GetFileName(d)["step-".Length..], CultureInfo.InvariantCulture))
            .LastOrDefault();
    }
}
