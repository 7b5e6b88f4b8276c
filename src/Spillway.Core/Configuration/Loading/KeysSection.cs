using System.Collections.Immutable;
using Spillway.Core.Configuration.Yaml;
using Spillway.Core.Providers;
using Spillway.Core.Providers.Presets;

namespace Spillway.Core.Configuration.Loading;

/// <summary>Reads a provider's <c>keys:</c> list.</summary>
internal static class KeysSection
{
    private static readonly string[] Fields = ["id", "value", "env", "tier", "limits", "may_train_on_prompts"];

    /// <param name="keyLines">Key ids seen so far in the whole file, with their line: key ids are unique across providers.</param>
    public static ImmutableArray<KeyConfig> Read(YamlMap provider, string providerId, ProviderPreset? preset, Dictionary<string, int> keyLines)
    {
        var keys = ImmutableArray.CreateBuilder<KeyConfig>();
        var items = provider.List("keys");
        for (var i = 0; i < items.Count; i++)
        {
            var (node, path) = items[i];
            var map = YamlMap.Open(provider.Context, node, path, Fields);

            // Ids are optional: groq-1, groq-2, … is what most people would write anyway.
            var id = map.Has("id") ? ConfigNames.Id(map, "id", "a key id") : $"{providerId}-{i + 1}";
            var idLine = ConfigReadContext.Line(map.Get("id") ?? map.Node);
            if (!keyLines.TryAdd(id, idLine))
            {
                throw map.Error("id", $"duplicate key id {YamlValues.Quote(id)} (first used on line {keyLines[id]}; key ids are unique across providers)");
            }

            var example = preset?.KeyEnvironmentVariable ?? "MY_API_KEY";
            var secret = SecretReader.Read(map, example);

            // Without a preset nothing says the key is free; treating it as paid keeps max-tier: free honest.
            var tier = map.Get("tier") is { } tierNode
                ? ConfigNames.Tier(map.Context, tierNode, map.PathOf("tier"))
                : preset?.DefaultTier ?? KeyTier.Paid;

            // What the user states beats the preset everywhere, per-model figures included: they know their plan.
            var (presetLimits, modelLimits) = preset?.LimitsFor(tier) ?? (KeyLimits.Unknown, ImmutableDictionary<string, KeyLimits>.Empty);
            var configured = LimitsReader.Read(map.Map("limits", LimitsReader.Fields));
            keys.Add(new KeyConfig(id, secret, tier, LimitsReader.Merge(presetLimits, configured))
            {
                ModelLimits = modelLimits.ToImmutableDictionary(m => m.Key, m => LimitsReader.Merge(m.Value, configured), StringComparer.Ordinal),
                MayTrainOnPrompts = map.Bool("may_train_on_prompts"),
            });
        }

        return keys.ToImmutable();
    }
}
