using Spillway.Core.Configuration;
using Spillway.Core.Providers;

namespace Spillway.Core.Health;

/// <summary>What the engine learns about each route from its calls: whether it is well (breakers) and how fast it
/// answers (speed). Runtime state, never part of the config: the breakers in this process unless a shared store
/// (<paramref name="breakers"/>) keeps them for several instances; speed always per process.</summary>
public sealed class RouteHealth(BreakerConfig breaker, TimeProvider time, IRouteBreakers? breakers = null)
{
    public IRouteBreakers Breakers { get; } = breakers ?? new RouteBreakerBook(breaker, time);

    public RouteSpeedBook Speed { get; } = new();

    /// <summary>
    /// The routes worth reporting, in order: every configured one, and any other that has a breaker or a measured
    /// speed (a discovered free model, a <c>models[]</c> list).
    /// </summary>
    public SortedSet<string> Routes(IEnumerable<ProviderConfig> providers)
    {
        ArgumentNullException.ThrowIfNull(providers);
        var routes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var provider in providers)
        {
            routes.UnionWith(provider.Models.Select(model => provider.Id + "/" + model));
        }

        routes.UnionWith(Breakers.Routes);
        routes.UnionWith(Speed.Routes);
        return routes;
    }
}
