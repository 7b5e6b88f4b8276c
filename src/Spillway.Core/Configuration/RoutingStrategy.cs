namespace Spillway.Core.Configuration;

/// <summary>How an alias orders its steps (route and key); see <c>Routing.StepOrdering</c>.</summary>
public enum RoutingStrategy
{
    /// <summary>Free-tier keys first in listed order, then paid keys by estimated price: the default.</summary>
    FreeFirst,

    /// <summary>As listed.</summary>
    Ordered,

    /// <summary>By estimated price per request; a free-tier key costs nothing.</summary>
    Cheapest,

    /// <summary>By measured latency; routes not yet measured go first, so they get measured.</summary>
    Fastest,
}
