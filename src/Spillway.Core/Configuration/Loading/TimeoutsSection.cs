using Spillway.Core.Configuration.Yaml;
using Spillway.Core.Providers;

namespace Spillway.Core.Configuration.Loading;

/// <summary>Reads a <c>timeouts:</c> block, the config-wide one or a provider's own.</summary>
internal static class TimeoutsSection
{
    public static readonly string[] Fields = ["connect_seconds", "first_token_seconds", "idle_stream_seconds"];

    /// <summary>The config-wide block also says how long a stopping gateway lets requests finish.</summary>
    public static readonly string[] GlobalFields = [.. Fields, "shutdown_grace_seconds"];

    /// <summary>The block's values over <paramref name="fallback"/>: a provider that only raises one timeout keeps the rest.</summary>
    public static TimeoutsConfig Read(YamlMap? map, TimeoutsConfig fallback) => map is null
        ? fallback
        : new TimeoutsConfig(
            map.Seconds("connect_seconds") ?? fallback.Connect,
            map.Seconds("first_token_seconds") ?? fallback.FirstToken,
            map.Seconds("idle_stream_seconds") ?? fallback.IdleStream);
}
