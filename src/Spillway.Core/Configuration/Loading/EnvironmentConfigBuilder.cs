using System.Collections.Immutable;
using Spillway.Core.Providers;
using Spillway.Core.Providers.Presets;

namespace Spillway.Core.Configuration.Loading;

/// <summary>Builds the zero-config snapshot from provider key variables.</summary>
internal static class EnvironmentConfigBuilder
{
    public static SpillwayConfig Build(IReadOnlyDictionary<string, string?> environment)
    {
        var providers = ImmutableArray.CreateBuilder<ProviderConfig>();
        foreach (var preset in ProviderPresets.All)
        {
            if (Value(environment, preset.KeyEnvironmentVariable) is not { } value)
            {
                continue;
            }

            var (limits, modelLimits) = preset.LimitsFor(preset.DefaultTier);
            var key = new KeyConfig($"{preset.Id}-env", new Secret(value), preset.DefaultTier, limits) { ModelLimits = modelLimits };
            providers.Add(preset.ToProviderConfig(preset.Id, [key]));
        }

        return new SpillwayConfig
        {
            Providers = providers.ToImmutable(),
            Models = ZeroConfigAliases(providers),
            Auth = Value(environment, ConfigLoader.AdminTokenVariable) is { } token ? new AuthConfig { AdminToken = new Secret(token) } : AuthConfig.None,

            // Free-model discovery is what makes `openrouter/free` worth having; it needs no key to read the list.
            Catalog = providers.Any(p => p.Preset == "openrouter")
                ? new CatalogConfig { OpenRouter = OpenRouterCatalogConfig.Default }
                : CatalogConfig.None,
            Storage = StorageSection.FromEnvironment(environment),
            Source = "environment",
        };
    }

    /// <summary>The aliases zero-config offers: <c>free-first</c> for chat and <c>free-embeddings</c>, each when it has a route.</summary>
    internal static ImmutableArray<ModelAliasConfig> ZeroConfigAliases(IEnumerable<ProviderConfig> providers)
    {
        var chat = FreeFirstRoute(providers);
        var embeddings = FreeEmbeddingsRoute(providers);
        var aliases = ImmutableArray.CreateBuilder<ModelAliasConfig>(2);
        if (!chat.IsEmpty)
        {
            aliases.Add(new ModelAliasConfig(ConfigLoader.FreeFirstAlias, RoutingStrategy.FreeFirst, chat));
        }

        if (!embeddings.IsEmpty)
        {
            aliases.Add(new ModelAliasConfig(ConfigLoader.FreeEmbeddingsAlias, RoutingStrategy.FreeFirst, embeddings));
        }

        return aliases.ToImmutable();
    }

    /// <summary>
    /// One embedding model, since vectors of two models cannot stand in for each other: the first embedding model of
    /// the first provider (in preset order) with a free key, else of the first paid one; then every other provider
    /// that serves the same model, so the alias still falls back across keys and hosts of it.
    /// </summary>
    internal static ImmutableArray<string> FreeEmbeddingsRoute(IEnumerable<ProviderConfig> providers)
    {
        var all = providers.Where(p => !p.EmbeddingModels.IsDefaultOrEmpty).ToList();
        var first = all.FirstOrDefault(p => p.Keys.Any(k => k.Tier == KeyTier.Free)) ?? all.FirstOrDefault();
        if (first is null)
        {
            return [];
        }

        var model = first.EmbeddingModels[0];
        return [.. all.Where(p => p.IsEmbeddingModel(model)).OrderBy(p => p == first ? 0 : 1).Select(p => $"{p.Id}/{model}")];
    }

    /// <summary>Free models of free-tier providers in preset order, then cheap models of paid ones.</summary>
    internal static ImmutableArray<string> FreeFirstRoute(IEnumerable<ProviderConfig> providers)
    {
        var free = new List<string>();
        var paid = new List<string>();
        foreach (var provider in providers)
        {
            var preset = ProviderPresets.Find(provider.Preset!)!;
            if (provider.Keys.Any(k => k.Tier == KeyTier.Free))
            {
                free.AddRange(preset.FreeModels.Select(m => $"{provider.Id}/{m.Model}"));
            }
            else
            {
                paid.AddRange(preset.CheapModels.Select(m => $"{provider.Id}/{m.Model}"));
            }
        }

        return [.. free, .. paid];
    }

    // An empty variable is "not set": `GROQ_API_KEY= spillway serve` is how people switch one off.
    private static string? Value(IReadOnlyDictionary<string, string?> environment, string name) =>
        environment.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
