using System.CommandLine;
using ArrCoc.Cli.Hub;
using ArrCoc.Engine;
using ArrCoc.Engine.Images;
using ArrCoc.Engine.Integration;
using static TorchSharp.torch;

namespace ArrCoc.Cli;

/// <summary>--device and --dtype: where the verbs that load Qwen3-VL run it (ask, analyze --model, train, validate).</summary>
public sealed class DeviceCliOptions
{
    public Option<string> Device { get; } = new("--device") { Description = "Where Qwen3-VL runs: cpu or cuda (ARR-COC runs on the CPU).", DefaultValueFactory = _ => "cpu" };
    public Option<string?> Dtype { get; } = new("--dtype") { Description = "Qwen3-VL's number type: float32 or bfloat16 (default float32 on cpu, bfloat16 on cuda)." };

    public void AddTo(Command command)
    {
        command.Options.Add(Device);
        command.Options.Add(Dtype);
    }

    public (Device Device, ScalarType Dtype) Resolve(ParseResult parse) =>
        ModelDevice.Parse(parse.GetValue(Device)!, parse.GetValue(Dtype), "--device", "--dtype");

    /// <summary>
    /// Qwen3-VL with ARR-COC on --device in --dtype: <paramref name="model"/> is a folder or a Hub id (downloaded with
    /// progress on stderr). A bad --device or --dtype fails before anything is downloaded.
    /// </summary>
    public async Task<ArrCocQwen> LoadAsync(ParseResult parse, string model, ArrCocOptions options, ImageLimitsOptions limits, CancellationToken ct)
    {
        var (device, dtype) = Resolve(parse);
        var resolved = await ModelOption.ResolveAsync(model, parse.InvocationConfiguration.Error, ct).ConfigureAwait(false);
        return ArrCocQwen.Load(resolved.Folder, model, options, limits, device, dtype);
    }
}
