namespace Spillway.Core.Configuration;

/// <summary>The circuit breaker of every route (contract: <c>breaker:</c>).</summary>
/// <param name="Failures">Consecutive failures that open a route's breaker (overloaded, server error, connection failed, timeout).</param>
/// <param name="Open">How long an opened breaker skips its route before one probe may go through; doubles after a failed probe.</param>
public sealed record BreakerConfig(int Failures, TimeSpan Open)
{
    public static BreakerConfig Default { get; } = new(5, TimeSpan.FromSeconds(30));
}
