using System.Collections.Immutable;

namespace Spillway.Core.Configuration;

/// <summary>Reads <c>pricing:</c>, list prices that override the built-in table (USD per million tokens).</summary>
internal static class PricingSection
{
    private static readonly string[] Fields = ["route", "input", "output", "cached_input"];

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
                map.Amount("cached_input")));
        }

        return prices.ToImmutable();
    }
}
