namespace Spillway.Core.Configuration;

/// <summary>How an alias orders its route.</summary>
public enum RoutingStrategy
{
    Ordered,
    Cheapest,
    Fastest,
}
