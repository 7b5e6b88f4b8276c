using Spillway.Core.Configuration.Yaml;

namespace Spillway.Core.Configuration.Loading;

/// <summary>Reads <c>metrics:</c> and <c>telemetry:</c>; a field left out keeps its default.</summary>
internal static class TelemetrySection
{
    public static readonly string[] MetricsFields = ["public"];

    public static readonly string[] TelemetryFields = ["otlp_endpoint", "capture_content"];

    public static TelemetryConfig Read(YamlMap root)
    {
        var metrics = root.Map("metrics", MetricsFields);
        var telemetry = root.Map("telemetry", TelemetryFields);
        return new TelemetryConfig(
            MetricsPublic: metrics?.Bool("public") ?? false,
            OtlpEndpoint: telemetry?.AbsoluteUrl("otlp_endpoint"),
            CaptureContent: telemetry?.Bool("capture_content") ?? false);
    }
}
