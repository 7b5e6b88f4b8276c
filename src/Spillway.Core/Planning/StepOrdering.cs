using Spillway.Core.Configuration;
using Spillway.Core.Health;
using Spillway.Core.Pricing;
using Spillway.Core.Providers;

namespace Spillway.Core.Planning;

/// <summary>
/// Orders one alias's steps (route and key) by its strategy. Every ordering is stable: steps that tie keep their
/// listed order, keys within a route their <c>key_selection</c> order. Steps are ordered one by one rather than
/// routes as a whole, because a route's free and paid keys differ in price.
/// </summary>
internal static class StepOrdering
{
    /// <param name="prices">The price books; the config's book is looked up only when the strategy orders by price.</param>
    public static IEnumerable<RouteStep> Order(
        IReadOnlyList<RouteStep> steps, RoutingStrategy strategy, RequestNeeds needs, PriceBooks prices, SpillwayConfig config, IRouteSpeed speed) =>
        steps.Count <= 1
            ? steps
            : strategy switch
            {
                RoutingStrategy.Cheapest => ByPrice(steps, needs, prices.For(config)),
                RoutingStrategy.FreeFirst => FreeThenByPrice(steps, needs, prices.For(config)),
                RoutingStrategy.Fastest => BySpeed(steps, speed),
                _ => steps,
            };

    /// <summary>Cheapest first; a free-tier key costs nothing; a paid step with no known price goes after every priced one.</summary>
    private static IEnumerable<RouteStep> ByPrice(IReadOnlyList<RouteStep> steps, RequestNeeds needs, PriceBook prices) =>
        steps.OrderBy(step => StepCost.Estimate(step, needs, prices) ?? decimal.MaxValue);

    /// <summary>Free-tier capacity first in listed order (all of it costs nothing), then paid steps by price.</summary>
    private static IEnumerable<RouteStep> FreeThenByPrice(IReadOnlyList<RouteStep> steps, RequestNeeds needs, PriceBook prices) =>
        steps.OrderBy(step => step.Key.Tier == KeyTier.Free ? 0 : 1)
            .ThenBy(step => StepCost.Estimate(step, needs, prices) ?? decimal.MaxValue);

    /// <summary>
    /// Routes not measured yet first, in listed order, then measured ones by expected latency. Only a served call
    /// measures a route, so a route placed after measured ones would never be measured while they serve, and
    /// <c>fastest</c> would stay stuck on whichever route happened to serve first; trying each unmeasured route once
    /// costs one request per route, after which the order follows the measurements. A route that fails instead of
    /// serving is held back by cooldowns and the circuit breaker, not by this order.
    /// </summary>
    private static IEnumerable<RouteStep> BySpeed(IReadOnlyList<RouteStep> steps, IRouteSpeed speed)
    {
        var latencies = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var step in steps)
        {
            if (!latencies.ContainsKey(step.Route))
            {
                latencies[step.Route] = speed.ExpectedLatencyMs(step.Route) ?? double.NegativeInfinity;
            }
        }

        return steps.OrderBy(step => latencies[step.Route]);
    }
}
