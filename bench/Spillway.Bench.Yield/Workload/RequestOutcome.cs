namespace Spillway.Bench.Yield.Workload;

/// <summary>One client request as the client saw it.</summary>
/// <param name="SentAt">When it was sent, on the simulated clock.</param>
/// <param name="Status">The gateway's HTTP status.</param>
/// <param name="Route">The <c>x-spillway-route</c> that served it; null when none did.</param>
/// <param name="UpstreamCalls">The <c>x-spillway-attempts</c> count of upstream calls made for it.</param>
internal sealed record RequestOutcome(DateTimeOffset SentAt, int Status, string? Route, int UpstreamCalls)
{
    public bool Served => Status is >= 200 and < 300 && Route is not null;
}
