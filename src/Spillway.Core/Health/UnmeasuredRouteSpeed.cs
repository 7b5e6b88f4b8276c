namespace Spillway.Core.Health;

/// <summary>The route speed known before anything measures it: none, so <c>fastest</c> keeps the listed order.</summary>
public sealed class UnmeasuredRouteSpeed : IRouteSpeed
{
    public double? ExpectedLatencyMs(string route) => null;
}
