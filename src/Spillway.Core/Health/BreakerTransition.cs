namespace Spillway.Core.Health;

/// <summary>What one call's result did to a breaker, for the log.</summary>
public enum BreakerTransition
{
    None,

    /// <summary>Closed → open: enough consecutive failures.</summary>
    Opened,

    /// <summary>Half-open → open: the probe failed; the cool-off grows.</summary>
    Reopened,

    /// <summary>Half-open → closed: the probe succeeded.</summary>
    Closed,
}
