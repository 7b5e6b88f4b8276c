using Spillway.Serving;

namespace Spillway.Endpoints;

/// <summary>
/// <c>GET /metrics</c>: the gateway's metrics in Prometheus' text format (OpenTelemetry's Prometheus exporter reads
/// the meters). Guarded like <c>/admin</c> (the admin token, or loopback only without one) unless
/// <c>metrics.public</c> is on, for a scraper on a private network.
/// </summary>
internal static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static void UseMetricsEndpoint(this IApplicationBuilder app, ConfigHolder configs) =>
        app.UseOpenTelemetryPrometheusScrapingEndpoint(
            meterProvider: null,
            predicate: static context => context.Request.Path.Equals(Path, StringComparison.Ordinal),
            path: null,
            configureBranchedPipeline: branch => branch.Use(async (context, next) =>
            {
                if (configs.Current.Telemetry.MetricsPublic || await AdminEndpoints.AdmitAsync(context, configs))
                {
                    await next(context);
                }
            }),
            optionsName: null);
}
