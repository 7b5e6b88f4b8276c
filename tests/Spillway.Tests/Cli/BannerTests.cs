using Microsoft.Extensions.Configuration;
using Spillway.Cli;
using Spillway.Core.Configuration;
using Spillway.Core.Providers;
using Spillway.Serving;

namespace Spillway.Tests.Cli;

public sealed class BannerTests
{
    [Fact]
    public void StoresLine_Embedded_SaysThisProcessAndTheDataFolder() =>
        Assert.Equal("Stores: live key state in this process; records in the data folder (SQLite).", Banner.StoresLine(StoresInUse.Embedded));

    [Fact]
    public void StoresLine_Shared_NamesTheServersAndAnOutage()
    {
        var stores = new StoresInUse { Redis = "10.0.0.5:6379", RedisAvailable = () => false, Postgres = "db.internal/spillway" };

        var line = Banner.StoresLine(stores);

        Assert.Contains("live key state in Redis at 10.0.0.5:6379 (shared by every instance; UNREACHABLE now", line, StringComparison.Ordinal);
        Assert.Contains("records in PostgreSQL at db.internal/spillway", line, StringComparison.Ordinal);
    }

    [Fact]
    public void StoresLine_PostgresWithoutRedis_WarnsThatLimitsArePerInstance()
    {
        var line = Banner.StoresLine(new StoresInUse { Postgres = "db.internal/spillway" });

        Assert.Contains("WARNING: PostgreSQL without Redis: quotas, cooldowns, breakers and client limits are per instance", line, StringComparison.Ordinal);
        Assert.DoesNotContain("WARNING", Banner.StoresLine(new StoresInUse { Postgres = "db.internal/spillway", Redis = "r:6379" }), StringComparison.Ordinal);
    }

    [Fact]
    public void TelemetryLine_Defaults_GuardsMetricsLikeAdminAndSaysTracesAreOff()
    {
        var line = Banner.TelemetryLine(new SpillwayConfig(), Settings(), new Uri("http://0.0.0.0:4000/"));

        Assert.Equal(
            "Telemetry: Prometheus metrics at http://127.0.0.1:4000/metrics (loopback only, as /admin); traces off (set telemetry.otlp_endpoint or OTEL_EXPORTER_OTLP_ENDPOINT).",
            line);
    }

    [Fact]
    public void TelemetryLine_ConfiguredCollector_NamesItsTracesUrlWithoutCredentials()
    {
        var config = new SpillwayConfig
        {
            Auth = new AuthConfig { AdminToken = new Secret("admin-token-0123456789") },
            Telemetry = TelemetryConfig.Default with { OtlpEndpoint = new Uri("http://user:hunter2@collector:4318") },
        };

        var line = Banner.TelemetryLine(config, Settings(), new Uri("http://127.0.0.1:4000/"));

        Assert.Contains("(admin token, as /admin)", line, StringComparison.Ordinal);
        Assert.Contains("traces OTLP to http://collector:4318/v1/traces.", line, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", line, StringComparison.Ordinal);
    }

    [Fact]
    public void TelemetryLine_StandardVariable_SaysTracesGoWhereItPoints()
    {
        var line = Banner.TelemetryLine(
            new SpillwayConfig { Telemetry = TelemetryConfig.Default with { MetricsPublic = true } },
            Settings(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")),
            new Uri("http://127.0.0.1:4000/"));

        Assert.Contains("(public)", line, StringComparison.Ordinal);
        Assert.Contains("traces OTLP to OTEL_EXPORTER_OTLP_ENDPOINT.", line, StringComparison.Ordinal);
    }

    [Fact]
    public void DashboardLine_SaysWhereAndWhoMayOpenIt()
    {
        var open = Banner.DashboardLine(new SpillwayConfig(), new Uri("http://0.0.0.0:4000/"));
        var guarded = Banner.DashboardLine(
            new SpillwayConfig { Auth = new AuthConfig { AdminToken = new Secret("admin-token-0123456789") } }, new Uri("http://127.0.0.1:4000/"));

        Assert.Equal("Dashboard: http://127.0.0.1:4000/ui/ (loopback only, as /admin).", open);
        Assert.Equal("Dashboard: http://127.0.0.1:4000/ui/ (sign in with the admin token).", guarded);
        Assert.DoesNotContain("admin-token-0123456789", guarded, StringComparison.Ordinal);
    }

    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
