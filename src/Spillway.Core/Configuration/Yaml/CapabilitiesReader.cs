using System.Collections.Immutable;
using Spillway.Core.Providers;

namespace Spillway.Core.Configuration.Yaml;

/// <summary>
/// Reads a <c>capabilities:</c> list, one entry per model: <c>{ model: x, tools: true, vision: false, json: true,
/// context: 131072 }</c>. A field left out stays unknown (assumed supported). Used by presets and provider config.
/// </summary>
internal static class CapabilitiesReader
{
    private static readonly string[] Fields = ["model", "tools", "vision", "json", "context"];

    public static ImmutableDictionary<string, ModelCapabilities> Read(YamlMap owner)
    {
        var capabilities = ImmutableDictionary.CreateBuilder<string, ModelCapabilities>(StringComparer.Ordinal);
        foreach (var (node, path) in owner.List("capabilities"))
        {
            var map = YamlMap.Open(owner.Context, node, path, Fields);
            var model = map.RequiredText("model", "each entry names the model it describes");
            if (capabilities.ContainsKey(model))
            {
                throw map.Error("model", $"{YamlValues.Quote(model)} is already described in this list");
            }

            var context = map.WholeNumber("context", int.MaxValue);
            if (context == 0)
            {
                throw map.Error("context", "must be at least 1");
            }

            capabilities[model] = new ModelCapabilities(map.Bool("tools"), map.Bool("vision"), map.Bool("json"), (int?)context);
        }

        return capabilities.ToImmutable();
    }

    /// <summary>The user's entries over the preset's, field by field.</summary>
    public static ImmutableDictionary<string, ModelCapabilities> Merge(
        ImmutableDictionary<string, ModelCapabilities> preset, ImmutableDictionary<string, ModelCapabilities> configured)
    {
        var merged = preset.ToBuilder();
        foreach (var (model, own) in configured)
        {
            merged[model] = own.Over(preset.GetValueOrDefault(model) ?? ModelCapabilities.Unknown);
        }

        return merged.ToImmutable();
    }
}
