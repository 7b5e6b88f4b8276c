using Spillway.Core.Configuration;
using Spillway.Core.Configuration.Loading;

namespace Spillway.Core.Tests.Configuration.Loading;

/// <summary>The optional <c>metrics:</c> and <c>telemetry:</c> blocks.</summary>
public sealed class TelemetrySectionTests
{
    [Fact]
    public void Parse_NoBlocks_GuardsMetricsAndMakesNoSpans()
    {
        var config = ConfigLoader.Parse("timeouts: { connect_seconds: 5 }\n", "spillway.yaml", TestEnvironment.Empty);

        Assert.Equal(TelemetryConfig.Default, config.Telemetry);
        Assert.False(config.Telemetry.MetricsPublic);
        Assert.Null(config.Telemetry.OtlpEndpoint);
        Assert.False(config.Telemetry.CaptureContent);
    }

    [Fact]
    public void Parse_BothBlocks_ReadsEveryField()
    {
        var config = ConfigLoader.Parse(
            "metrics: { public: true }\ntelemetry:\n  otlp_endpoint: http://collector:4318\n  capture_content: true\n",
            "spillway.yaml",
            TestEnvironment.Empty);

        Assert.Equal(new TelemetryConfig(MetricsPublic: true, new Uri("http://collector:4318"), CaptureContent: true), config.Telemetry);
    }

    [Theory]
    [InlineData("metrics: { open: true }\n", "metrics: unknown field 'open'")]
    [InlineData("metrics: { public: maybe }\n", "metrics.public")]
    [InlineData("telemetry: { otlp_endpoint: collector:4318 }\n", "telemetry.otlp_endpoint")]
    [InlineData("telemetry: { capture: true }\n", "telemetry: unknown field 'capture'")]
    public void Parse_InvalidBlock_ThrowsOneLineMessageNamingTheField(string yaml, string expected)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(yaml, "spillway.yaml", TestEnvironment.Empty));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }
}
