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

        var route = FreeFirstRoute(providers);
        return new SpillwayConfig
        {
            Providers = providers.ToImmutable(),
            Models = route.IsEmpty ? [] : [new ModelAliasConfig(ConfigLoader.FreeFirstAlias, RoutingStrategy.FreeFirst, route)],
            Auth = Value(environment, ConfigLoader.AdminTokenVariable) is { } token ? new AuthConfig { AdminToken = new Secret(token) } : AuthConfig.None,

            // Free-model discovery is what makes `openrouter/free` worth having; it needs no key to read the list.
            Catalog = providers.Any(p => p.Preset == "openrouter")
                ? new CatalogConfig { OpenRouter = OpenRouterCatalogConfig.Default }
                : CatalogConfig.None,
            Storage = StorageSection.FromEnvironment(environment),
            Source = "environment",
        };
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
