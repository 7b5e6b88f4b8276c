namespace Spillway.Core.Health;

/// <summary>A route's measured speed as the admin API shows it.</summary>
/// <param name="LatencyMs">Moving average of a served non-streamed call, from send to the whole answer; null while unmeasured.</param>
/// <param name="TtftMs">Moving average of a served stream's time from send to its first content; null while unmeasured.</param>
/// <param name="Samples">Served calls measured, both kinds.</param>
public sealed record RouteSpeedView(double? LatencyMs, double? TtftMs, long Samples)
{
    public static RouteSpeedView Unmeasured { get; } = new(null, null, 0);
}
