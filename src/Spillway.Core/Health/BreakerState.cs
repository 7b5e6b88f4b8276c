namespace Spillway.Core.Health;

/// <summary>Where a route's circuit breaker stands.</summary>
public enum BreakerState
{
    /// <summary>Calls go through; consecutive failures are counted.</summary>
    Closed,

    /// <summary>The route is skipped without a call until the cool-off ends.</summary>
    Open,

    /// <summary>The cool-off is over: one probe call may go through; its result closes or re-opens the breaker.</summary>
    HalfOpen,
}
