using Spillway.Core.Providers;

namespace Spillway.Core.Configuration.Yaml;

/// <summary>Reads a <c>limits: { rpm, rpd, tpm, tpd }</c> block.</summary>
internal static class LimitsReader
{
    public static readonly string[] Fields = ["rpm", "rpd", "tpm", "tpd"];

    public static KeyLimits Read(YamlMap? map) => map is null
        ? KeyLimits.Unknown
        : new KeyLimits(
            (int?)map.WholeNumber("rpm", int.MaxValue),
            (int?)map.WholeNumber("rpd", int.MaxValue),
            map.WholeNumber("tpm"),
            map.WholeNumber("tpd"));

    /// <summary>Config figures over preset figures, field by field: a user who knows only their RPD keeps the rest.</summary>
    public static KeyLimits Merge(KeyLimits preset, KeyLimits configured) => new(
        configured.Rpm ?? preset.Rpm,
        configured.Rpd ?? preset.Rpd,
        configured.Tpm ?? preset.Tpm,
        configured.Tpd ?? preset.Tpd);
}
