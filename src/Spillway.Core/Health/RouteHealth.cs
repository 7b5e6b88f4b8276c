using Spillway.Core.Configuration;

namespace Spillway.Core.Health;

/// <summary>What the engine learns about each route from its calls: whether it is well (breakers) and how fast it
/// answers (speed). Runtime state, never part of the config: the breakers in this process unless a shared store
/// (<paramref name="breakers"/>) keeps them for several instances; speed always per process.</summary>
public sealed class RouteHealth(BreakerConfig breaker, TimeProvider time, IRouteBreakers? breakers = null)
{
    public IRouteBreakers Breakers { get; } = breakers ?? new RouteBreakerBook(breaker, time);

    public RouteSpeedBook Speed { get; } = new();
}
