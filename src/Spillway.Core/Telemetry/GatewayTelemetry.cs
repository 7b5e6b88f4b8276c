using System.Diagnostics;

namespace Spillway.Core.Telemetry;

/// <summary>
/// The names under which the gateway reports: one <see cref="Meter"/> name for its metrics, one
/// <see cref="ActivitySource"/> for its spans. A listener (the OpenTelemetry SDK) subscribes to them by name; with none,
/// starting a span costs one check and nothing is allocated.
/// </summary>
public static class GatewayTelemetry
{
    /// <summary>The meter's and the activity source's name.</summary>
    public const string Name = "Spillway";

    /// <summary>The source of the request and attempt spans.</summary>
    public static ActivitySource Source { get; } = new(Name);
}
