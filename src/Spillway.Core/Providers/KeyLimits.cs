namespace Spillway.Core.Providers;

/// <summary>A key's known quota; null where unknown. Preset figures, overridden by config, corrected at run time.</summary>
public sealed record KeyLimits(int? Rpm = null, int? Rpd = null, long? Tpm = null, long? Tpd = null)
{
    public static KeyLimits Unknown { get; } = new();
}
