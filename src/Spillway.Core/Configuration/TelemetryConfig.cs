namespace Spillway.Core.Configuration;

/// <summary>What the gateway reports and to whom (contract: <c>metrics:</c> and <c>telemetry:</c>).</summary>
/// <param name="MetricsPublic"><c>metrics.public</c>: <c>/metrics</c> answers without the admin token, for a scraper on
/// a private network; else it is guarded like <c>/admin</c>.</param>
/// <param name="OtlpEndpoint"><c>telemetry.otlp_endpoint</c>: the OTLP/HTTP collector spans are sent to (its
/// <c>/v1/traces</c>); null: the standard <c>OTEL_EXPORTER_OTLP_*</c> variables decide, and without them no span is
/// made.</param>
/// <param name="CaptureContent"><c>telemetry.capture_content</c>: spans carry prompt and completion text.</param>
public sealed record TelemetryConfig(bool MetricsPublic, Uri? OtlpEndpoint, bool CaptureContent)
{
    public static TelemetryConfig Default { get; } = new(MetricsPublic: false, OtlpEndpoint: null, CaptureContent: false);
}
