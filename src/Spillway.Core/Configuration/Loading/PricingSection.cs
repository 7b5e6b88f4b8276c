using System.Collections.Immutable;
using Spillway.Core.Configuration.Yaml;
using Spillway.Core.Pricing;
using Spillway.Core.Providers;
using Spillway.Core.Providers.Presets;

namespace Spillway.Core.Configuration.Loading;

/// <summary>
/// Reads <c>pricing:</c>, list prices that override the built-in table (USD per million tokens), and
/// <c>pricing_reference:</c>, the route free calls' savings are priced at when their chain has no paid step.
/// </summary>
internal static class PricingSection
{
    private static readonly string[] Fields = ["route", "input", "output", "cached_input", "cache_write", "reasoning"];

    public static ImmutableArray<PriceOverride> Read(YamlMap root, IReadOnlyCollection<ProviderConfig> providers)
    {
        var routes = new RouteChecks(providers.Select(p => p.Id), []);
        var prices = ImmutableArray.CreateBuilder<PriceOverride>();
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (node, path) in root.List("pricing"))
        {
            var map = YamlMap.Open(root.Context, node, path, Fields);
            var routeNode = map.Get("route") ?? throw map.Missing("route", "a price is for one provider/model route");
            var route = routes.Check(map.Context, routeNode, map.PathOf("route"));
            if (!lines.TryAdd(route, ConfigReadContext.Line(routeNode)))
            {
                throw map.Error("route", $"{YamlValues.Quote(route)} is priced twice (first on line {lines[route]})");
            }

            prices.Add(new PriceOverride(
                route,
                map.Amount("input") ?? throw map.Missing("input", "USD per million input tokens"),
                map.Amount("output") ?? throw map.Missing("output", "USD per million output tokens"),
                map.Amount("cached_input"),
                map.Amount("cache_write"),
                map.Amount("reasoning")));
        }

        return prices.ToImmutable();
    }

    /// <summary>
    /// <c>pricing_reference: provider/model</c>: a configured provider's route, or a preset's model priced in the
    /// bundled table (<c>openai/gpt-4o-mini</c> works without an OpenAI key).
    /// </summary>
    public static string? ReadReference(YamlMap root, IReadOnlyCollection<ProviderConfig> providers)
    {
        if (root.Get("pricing_reference") is not { } node)
        {
            return null;
        }

        var path = root.PathOf("pricing_reference");
        var route = YamlValues.Text(root.Context, node, path);
        var slash = route.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == route.Length - 1)
        {
            throw root.Context.Error(node, path, $"{YamlValues.Quote(route)} is not a route: expected provider/model");
        }

        var prefix = route[..slash];
        if (providers.Any(p => string.Equals(p.Id, prefix, StringComparison.Ordinal)))
        {
            return route;
        }

        if (ProviderPresets.Find(prefix) is null)
        {
            throw root.Context.Error(node, path, $"{YamlValues.Quote(prefix)} is neither a configured provider nor a preset");
        }

        return BundledPrices.Find(prefix, route[(slash + 1)..]) is not null
            ? route
            : throw root.Context.Error(node, path, $"the bundled price table has no price for {YamlValues.Quote(route)}; add it under pricing:, or name a configured provider's route");
    }
}
