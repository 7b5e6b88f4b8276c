using Spillway.Core.Configuration.Yaml;

namespace Spillway.Core.Configuration.Loading;

/// <summary>Reads <c>breaker:</c>; fields left out keep their defaults.</summary>
internal static class BreakerSection
{
    public static readonly string[] Fields = ["failures", "open_seconds"];

    public static BreakerConfig Read(YamlMap root)
    {
        if (root.Map("breaker", Fields) is not { } map)
        {
            return BreakerConfig.Default;
        }

        var failures = map.WholeNumber("failures", max: 1000);
        if (failures == 0)
        {
            throw map.Error("failures", "must be at least 1");
        }

        return new BreakerConfig(
            (int)(failures ?? BreakerConfig.Default.Failures),
            map.Seconds("open_seconds") ?? BreakerConfig.Default.Open);
    }
}
