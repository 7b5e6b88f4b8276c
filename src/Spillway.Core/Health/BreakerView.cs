namespace Spillway.Core.Health;

/// <summary>A breaker as the admin API shows it.</summary>
/// <param name="State">Open with its cool-off over shows as half-open: the next call is the probe.</param>
/// <param name="Failures">Consecutive counted failures.</param>
/// <param name="OpenUntil">When the cool-off ends; null unless open.</param>
/// <param name="LastFailure">The last counted failure; null when none since the start.</param>
public sealed record BreakerView(BreakerState State, int Failures, DateTimeOffset? OpenUntil, BreakerFailure? LastFailure)
{
    public static BreakerView Closed { get; } = new(BreakerState.Closed, 0, null, null);
}
