using Spillway.Core.Configuration;

namespace Spillway.Core.Health;

/// <summary>What the engine learns about each route from its calls: whether it is well (breakers) and how fast it
/// answers (speed). Runtime state, one per process; never part of the config.</summary>
public sealed class RouteHealth(BreakerConfig breaker, TimeProvider time)
{
    public RouteBreakerBook Breakers { get; } = new(breaker, time);

    public RouteSpeedBook Speed { get; } = new();
}
