using System.Collections.Immutable;
using Spillway.Core.Configuration.Yaml;
using Spillway.Core.Providers;
using Spillway.Core.Providers.Presets;
using Spillway.Core.Secrets;

namespace Spillway.Core.Configuration.Loading;

/// <summary>
/// Adds the keys stored with <c>spillway keys add</c> to a config snapshot, after it was built from a file, the
/// environment or nothing. A stored key joins the provider of its provider id; with no such provider and a preset of
/// that name, the provider is made from the preset (as zero-config does). A config built from the environment then
/// gets its <c>free-first</c> alias again over every provider, stored or not.
/// </summary>
public static class StoredKeysMerge
{
    /// <exception cref="ConfigException">A stored key's id is also a config key's id, or its provider is unknown.</exception>
    public static SpillwayConfig Merge(SpillwayConfig config, IReadOnlyList<StoredKey> stored)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(stored);
        if (stored.Count == 0)
        {
            return config;
        }

        CheckIdsAreUnique(config, stored);
        var providers = config.Providers.ToBuilder();
        foreach (var group in stored.GroupBy(k => k.Info.Provider, StringComparer.Ordinal))
        {
            var index = IndexOf(providers, group.Key);
            if (index >= 0)
            {
                var provider = providers[index];
                var preset = provider.Preset is { } name ? ProviderPresets.Find(name) : null;
                providers[index] = provider with { Keys = provider.Keys.AddRange(group.Select(k => ToKeyConfig(k, preset))) };
            }
            else if (ProviderPresets.Find(group.Key) is { } preset)
            {
                providers.Add(preset.ToProviderConfig(preset.Id, [.. group.Select(k => ToKeyConfig(k, preset))]));
            }
            else
            {
                var id = group.First().Info.Id;
                throw new ConfigException(
                    $"stored key '{id}' is for provider '{group.Key}', which is neither in the config ({config.Source}) nor a preset ({string.Join(", ", ProviderPresets.Ids)}); add that provider to the config, or remove the key: spillway keys remove {id}");
            }
        }

        var merged = config with { Providers = providers.ToImmutable() };
        return string.Equals(config.Source, "environment", StringComparison.Ordinal) ? AsZeroConfig(merged) : merged;
    }

    private static void CheckIdsAreUnique(SpillwayConfig config, IReadOnlyList<StoredKey> stored)
    {
        var configured = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var provider in config.Providers)
        {
            foreach (var key in provider.Keys)
            {
                configured.TryAdd(key.Id, provider.Id);
            }
        }

        foreach (var key in stored)
        {
            if (configured.TryGetValue(key.Info.Id, out var provider))
            {
                throw new ConfigException(
                    $"stored key '{key.Info.Id}' has the same id as a key of provider '{provider}' in the config ({config.Source}); key ids must be unique: rename the config's key, or remove the stored one (spillway keys remove {key.Info.Id}) and add it again under another id");
            }
        }
    }

    /// <summary>The stored tier and limits over the preset's, as a config key's are (<see cref="KeysSection"/>).</summary>
    private static KeyConfig ToKeyConfig(StoredKey key, ProviderPreset? preset)
    {
        var stated = key.Info.Limits;
        var (presetLimits, modelLimits) = preset?.LimitsFor(key.Info.Tier) ?? (KeyLimits.Unknown, ImmutableDictionary<string, KeyLimits>.Empty);
        return new KeyConfig(key.Info.Id, key.Value, key.Info.Tier, LimitsReader.Merge(presetLimits, stated))
        {
            ModelLimits = modelLimits.ToImmutableDictionary(m => m.Key, m => LimitsReader.Merge(m.Value, stated), StringComparer.Ordinal),
        };
    }

    /// <summary>Providers in preset order and <c>free-first</c> (and <c>free-embeddings</c>) over all of them, as if the stored keys had been variables.</summary>
    private static SpillwayConfig AsZeroConfig(SpillwayConfig config)
    {
        var order = ProviderPresets.Ids.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i, StringComparer.Ordinal);
        ImmutableArray<ProviderConfig> providers = [.. config.Providers.OrderBy(p => p.Preset is { } preset && order.TryGetValue(preset, out var i) ? i : int.MaxValue)];
        var others = config.Models.Where(a => a.Id is not (ConfigLoader.FreeFirstAlias or ConfigLoader.FreeEmbeddingsAlias));
        return config with
        {
            Providers = providers,
            Models = [.. EnvironmentConfigBuilder.ZeroConfigAliases(providers), .. others],
            Catalog = config.Catalog.OpenRouter is null && providers.Any(p => p.Preset == "openrouter")
                ? config.Catalog with { OpenRouter = OpenRouterCatalogConfig.Default }
                : config.Catalog,
        };
    }

    private static int IndexOf(ImmutableArray<ProviderConfig>.Builder providers, string id)
    {
        for (var i = 0; i < providers.Count; i++)
        {
            if (string.Equals(providers[i].Id, id, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
