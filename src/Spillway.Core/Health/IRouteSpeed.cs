namespace Spillway.Core.Health;

/// <summary>
/// How fast each route has been lately, for the <c>fastest</c> strategy: a moving average of latency and time to
/// first token measured by the engine on every served call.
/// </summary>
public interface IRouteSpeed
{
    /// <summary>The expected time to first token (streams) or to the whole answer, in ms; null while unmeasured.</summary>
    double? ExpectedLatencyMs(string route);
}
