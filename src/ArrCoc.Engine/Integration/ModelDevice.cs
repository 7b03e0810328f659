using TorchSharp;
using static TorchSharp.torch;

namespace ArrCoc.Engine.Integration;

/// <summary>
/// Where Qwen3-VL runs and in which number type, from their names: "cpu" or "cuda", "float32" or "bfloat16" (no
/// number type given: float32 on the CPU, bfloat16 on CUDA). CUDA must be available when asked for. ARR-COC itself
/// always runs on the CPU in float32.
/// </summary>
public static class ModelDevice
{
    /// <param name="deviceSetting">How the user names the device setting in messages, e.g. "--device" or "Engine:Device".</param>
    /// <param name="dtypeSetting">Likewise for the number type, e.g. "--dtype".</param>
    public static (Device Device, ScalarType Dtype) Parse(string device, string? dtype, string deviceSetting = "device", string dtypeSetting = "dtype")
    {
        var parsedDevice = device.Trim().ToLowerInvariant() switch
        {
            "cpu" => CPU,
            "cuda" => cuda.is_available() ? CUDA
                : throw new NotSupportedException($"{deviceSetting} is cuda but no CUDA device is available (this build or machine has none); use cpu"),
            var other => throw new ArgumentException($"{deviceSetting} must be cpu or cuda; got '{other}'"),
        };
        var parsedType = DtypeName(device, dtype) switch
        {
            "float32" => ScalarType.Float32,
            "bfloat16" => ScalarType.BFloat16,
            var other => throw new ArgumentException($"{dtypeSetting} must be float32 or bfloat16; got '{other}'"),
        };
        return (parsedDevice, parsedType);
    }

    /// <summary>The number type named, or the device's default when none is: bfloat16 on "cuda", float32 otherwise.</summary>
    public static string DtypeName(string device, string? dtype) =>
        string.IsNullOrWhiteSpace(dtype) ? (device.Trim().Equals("cuda", StringComparison.OrdinalIgnoreCase) ? "bfloat16" : "float32")
            : dtype.Trim().ToLowerInvariant();

    /// <summary>"cpu, float32".</summary>
    public static string Describe(Device device, ScalarType dtype) =>
        $"{device.type.ToString().ToLowerInvariant()}, {(dtype == ScalarType.BFloat16 ? "bfloat16" : dtype.ToString().ToLowerInvariant())}";
}
