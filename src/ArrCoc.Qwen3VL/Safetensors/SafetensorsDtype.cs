using TorchSharp;

namespace ArrCoc.Qwen3VL.Safetensors;

/// <summary>Element types of the safetensors format (the header's "dtype" strings).</summary>
public enum SafetensorsDtype
{
    BOOL, U8, I8, I16, U16, F16, BF16, I32, U32, F32, F64, I64, U64, F8_E4M3, F8_E5M2,
}

public static class SafetensorsDtypes
{
    public static bool TryParse(string s, out SafetensorsDtype dtype) =>
        Enum.TryParse(s, ignoreCase: false, out dtype) && Enum.IsDefined(dtype) && s == dtype.ToString();

    public static int ElementSize(this SafetensorsDtype dtype) => dtype switch
    {
        SafetensorsDtype.BOOL or SafetensorsDtype.U8 or SafetensorsDtype.I8 or SafetensorsDtype.F8_E4M3 or SafetensorsDtype.F8_E5M2 => 1,
        SafetensorsDtype.I16 or SafetensorsDtype.U16 or SafetensorsDtype.F16 or SafetensorsDtype.BF16 => 2,
        SafetensorsDtype.I32 or SafetensorsDtype.U32 or SafetensorsDtype.F32 => 4,
        _ => 8,
    };

    /// <summary>Floating types this loader converts to the run dtype.</summary>
    public static bool IsSupportedWeightType(this SafetensorsDtype dtype) =>
        dtype is SafetensorsDtype.F32 or SafetensorsDtype.F16 or SafetensorsDtype.BF16;

    public static torch.ScalarType ToScalarType(this SafetensorsDtype dtype) => dtype switch
    {
        SafetensorsDtype.F32 => torch.ScalarType.Float32,
        SafetensorsDtype.F16 => torch.ScalarType.Float16,
        SafetensorsDtype.BF16 => torch.ScalarType.BFloat16,
        _ => throw new NotSupportedException($"safetensors dtype {dtype} is not a supported weight type (BF16, F16, F32)."),
    };

    public static SafetensorsDtype FromScalarType(torch.ScalarType type) => type switch
    {
        torch.ScalarType.Float32 => SafetensorsDtype.F32,
        torch.ScalarType.Float16 => SafetensorsDtype.F16,
        torch.ScalarType.BFloat16 => SafetensorsDtype.BF16,
        _ => throw new NotSupportedException($"tensor dtype {type} cannot be written as a weight (BF16, F16, F32)."),
    };
}
