using System.Diagnostics.Metrics;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Spillway.Core.Configuration;
using Spillway.Core.Health;
using Spillway.Core.KeyState;
using Spillway.Core.Telemetry;
using Spillway.Endpoints;
using Spillway.Serving;

namespace Spillway.Hosting;

/// <summary>
/// The OpenTelemetry SDK over the gateway's meter and activity source (<see cref="GatewayTelemetry"/>): metrics always
/// (read by <c>/metrics</c>), with ASP.NET Core's, Kestrel's, HttpClient's and the runtime's own meters; traces only
/// when an OTLP endpoint is given (<c>telemetry.otlp_endpoint</c> or the standard <c>OTEL_EXPORTER_OTLP_*</c>
/// variables). Without one no listener exists, so no span is ever started: tracing then costs one check per request.
/// </summary>
internal static class TelemetrySetup
{
    /// <summary>The meters besides the gateway's: the framework's standard HTTP server, HTTP client and runtime metrics.</summary>
    private static readonly string[] FrameworkMeters =
    [
        "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http", "System.Net.NameResolution", "System.Runtime",
    ];

    public static void AddGatewayTelemetry(this WebApplicationBuilder builder, SpillwayConfig config)
    {
        var services = builder.Services;
        services.AddMetrics();
        services.AddSingleton(sp => sp.GetRequiredService<IMeterFactory>().Create(GatewayTelemetry.Name));
        services.AddSingleton(sp =>
        {
            var configs = sp.GetRequiredService<ConfigHolder>();
            return new GatewayMetrics(sp.GetRequiredService<Meter>(), name => IsKnownModel(configs.Current, name));
        });

        var settings = builder.Configuration;
        var otel = services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win, as everywhere else.
                if (string.IsNullOrEmpty(settings["OTEL_SERVICE_NAME"]))
                {
                    resource.AddService("spillway", serviceVersion: typeof(TelemetrySetup).Assembly.GetName().Version?.ToString(3));
                }
            })
            .WithMetrics(metrics => metrics
                .AddMeter(GatewayTelemetry.Name)
                .AddMeter(FrameworkMeters)
                .AddPrometheusExporter());

        var endpoint = TracesEndpoint(config.Telemetry, settings);
        if (endpoint is null)
        {
            return;
        }

        otel.WithTracing(tracing => tracing
            // The server span ("POST /v1/chat/completions") continues the client's W3C trace context; scrapes and
            // health probes make none. The HTTP client span under each call's span carries the context upstream.
            .AddAspNetCoreInstrumentation(aspnet => aspnet.Filter = static context => !IsProbe(context.Request.Path))
            .AddSource(GatewayTelemetry.Name, "System.Net.Http")
            .AddOtlpExporter(otlp =>
            {
                if (endpoint.Explicit is { } explicitEndpoint)
                {
                    otlp.Endpoint = explicitEndpoint;
                }

                if (endpoint.Protocol is { } protocol)
                {
                    otlp.Protocol = protocol;
                }
            }));
    }

    /// <summary>Registers the gauges read at each collection; call once the services are built.</summary>
    public static void RegisterGauges(IServiceProvider services)
    {
        var configs = services.GetRequiredService<ConfigHolder>();
        KeyStateGauges.Register(
            services.GetRequiredService<Meter>(),
            () => configs.Current,
            services.GetRequiredService<IKeyStateStore>(),
            services.GetRequiredService<IQuotaStore>(),
            services.GetRequiredService<RouteHealth>(),
            services.GetRequiredService<TimeProvider>());
    }

    /// <summary>Where spans go: null when nowhere (no span is made).</summary>
    /// <remarks>OTLP over HTTP with protobuf unless <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> says otherwise (the
    /// specification's default; the .NET exporter's own is gRPC).</remarks>
    internal static TracesTarget? TracesEndpoint(TelemetryConfig telemetry, IConfiguration settings)
    {
        var protocolSet = !string.IsNullOrEmpty(settings["OTEL_EXPORTER_OTLP_PROTOCOL"]) ||
                          !string.IsNullOrEmpty(settings["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"]);
        OtlpExportProtocol? protocol = protocolSet ? null : OtlpExportProtocol.HttpProtobuf;
        if (telemetry.OtlpEndpoint is { } configured)
        {
            // As OTEL_EXPORTER_OTLP_ENDPOINT: the collector's base address, the signal's path added.
            var traces = new Uri(configured.AbsoluteUri.TrimEnd('/') + "/v1/traces");
            return new TracesTarget(traces, OtlpExportProtocol.HttpProtobuf);
        }

        var fromEnvironment = !string.IsNullOrEmpty(settings["OTEL_EXPORTER_OTLP_ENDPOINT"]) ||
                              !string.IsNullOrEmpty(settings["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]);
        return fromEnvironment ? new TracesTarget(Explicit: null, protocol) : null;
    }

    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments(MetricsEndpoint.Path, StringComparison.Ordinal) || path.StartsWithSegments("/healthz", StringComparison.Ordinal) ||
        path.StartsWithSegments("/readyz", StringComparison.Ordinal);

    /// <summary>A configured alias or a <c>provider/model</c> route of a configured provider.</summary>
    private static bool IsKnownModel(SpillwayConfig config, string name)
    {
        if (config.FindAlias(name) is not null)
        {
            return true;
        }

        var slash = name.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && config.FindProvider(name[..slash]) is not null;
    }

    /// <param name="Explicit">The traces URL from the config; null: the exporter reads the OTEL_* variables.</param>
    /// <param name="Protocol">The protocol to set; null: the exporter reads it from the variables.</param>
    internal sealed record TracesTarget(Uri? Explicit, OtlpExportProtocol? Protocol);
}
