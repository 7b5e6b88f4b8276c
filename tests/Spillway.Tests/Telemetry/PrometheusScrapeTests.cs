using System.Net;
using Spillway.Core.Configuration;
using Spillway.Core.Providers;
using Spillway.Simulator;
using Spillway.Tests.Support;
using Spillway.TestSupport.Servers;

namespace Spillway.Tests.Telemetry;

/// <summary>A real Prometheus (Debian's package) scrapes the gateway every second and answers PromQL over what it got.</summary>
public sealed class PrometheusScrapeTests
{
    private const string AdminToken = "prometheus-scrape-admin-token-0123456789";

    [Fact]
    public async Task Prometheus_ScrapingWithTheAdminToken_SumsTheRequestsAndAttempts()
    {
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("pm1-free", SimulatorStyle.Groq), new SimulatedProvider("pm1-paid")],
            (_, config) => config with
            {
                Models = [new ModelAliasConfig("pm1-chain", RoutingStrategy.Ordered, [.. config.Models[0].Route])],
                Pricing = [new PriceOverride("pm1-paid/gpt-4o-mini", 0.15m, 0.60m)],
                Auth = new AuthConfig { AdminToken = new Secret(AdminToken) },
            });
        gateway["pm1-free"].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromMinutes(5)));
        for (var i = 0; i < 3; i++)
        {
            using var response = await gateway.ChatAsync("pm1-chain");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await using var prometheus = await PrometheusServer.StartNewAsync(gateway.Address, "/metrics", AdminToken);

        var requests = await prometheus.WaitForValueAsync(
            """sum(spillway_requests_total{alias="pm1-chain",outcome="ok"})""", v => v >= 3, TimeSpan.FromMinutes(1));
        Assert.Equal(3, requests);
        Assert.Equal(1, await prometheus.QueryAsync("""sum(spillway_attempts_total{key_id="pm1-free-key",outcome="rate_limited"})"""));
        Assert.Equal(3, await prometheus.QueryAsync("""sum(spillway_attempts_total{route="pm1-paid/gpt-4o-mini",outcome="ok"})"""));
        Assert.True(await prometheus.QueryAsync("""sum(spillway_cost_usd_total{provider="pm1-paid"})""") > 0);
        Assert.True(await prometheus.QueryAsync("""max(spillway_key_cooldown_seconds{key_id="pm1-free-key"})""") > 0);

        Assert.Equal(3, await prometheus.QueryAsync("""sum(gen_ai_client_operation_duration_seconds_count{gen_ai_provider_name="pm1-paid"})"""));

        // The README's sample query: the p95 duration of the upstream calls, by provider.
        Assert.True(await prometheus.QueryAsync(
            """histogram_quantile(0.95, sum by (le) (gen_ai_client_operation_duration_seconds_bucket{gen_ai_provider_name="pm1-paid"}))""") > 0);
    }
}
