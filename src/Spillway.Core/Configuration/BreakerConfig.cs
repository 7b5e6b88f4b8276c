namespace Spillway.Core.Configuration;

/// <summary>The circuit breaker of every route (contract: <c>breaker:</c>).</summary>
/// <param name="Failures">Consecutive failures that open a route's breaker (overloaded, server error, connection failed, timeout).</param>
/// <param name="Open">How long an opened breaker skips its route before one probe may go through; doubles after a failed probe.</param>
public sealed record BreakerConfig(int Failures, TimeSpan Open)
{
    /// <summary>
    /// Five failures in a row, then 5 s: short, so a route that recovers takes traffic again within seconds (a failed
    /// probe doubles the wait, up to 10 minutes, so a route that stays down costs one
    /// probe per window, fewer and fewer).
    /// </summary>
    public static BreakerConfig Default { get; } = new(5, TimeSpan.FromSeconds(5));
}
