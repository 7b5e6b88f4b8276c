using System.Net;
using Spillway.Core.Configuration;
using Spillway.Core.Providers;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Telemetry;

/// <summary>
/// <c>GET /metrics</c> after a known sequence of requests: exact counts. Meters are process-wide and other tests'
/// gateways run beside this one, so every name here (alias, providers, keys) is this test's own.
/// </summary>
public sealed class GatewayMetricsTests
{
    [Fact]
    public async Task Metrics_AfterAFallbackFromARateLimitedKey_CountEveryRequestAttemptAndCost()
    {
        await using var gateway = await StartAsync("mx1");
        gateway["mx1-free"].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromMinutes(5)));
        for (var i = 0; i < 3; i++)
        {
            using var response = await gateway.ChatAsync("mx1-chain");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var text = await gateway.Http.GetStringAsync("/metrics");

        Assert.Equal(3, PrometheusText.Sum(text, "spillway_requests_total", ("alias", "mx1-chain")));
        Assert.Equal(3, PrometheusText.Sum(text, "spillway_requests_total", ("alias", "mx1-chain"), ("format", "openai"), ("outcome", "ok")));
        Assert.Equal(1, PrometheusText.Sum(text, "spillway_attempts_total", ("key_id", "mx1-free-key"), ("outcome", "rate_limited")));
        Assert.Equal(2, PrometheusText.Sum(text, "spillway_attempts_total", ("key_id", "mx1-free-key"), ("outcome", "skipped_cooldown")));
        Assert.Equal(3, PrometheusText.Sum(text, "spillway_attempts_total", ("provider", "mx1-paid"), ("route", "mx1-paid/gpt-4o-mini"), ("key_id", "mx1-paid-key"), ("outcome", "ok")));
        Assert.True(PrometheusText.Sum(text, "spillway_cost_usd_total", ("provider", "mx1-paid"), ("route", "mx1-paid/gpt-4o-mini")) > 0);
        Assert.True(PrometheusText.Sum(text, "spillway_key_cooldown_seconds", ("provider", "mx1-free"), ("key_id", "mx1-free-key")) > 60);
        Assert.Equal(0, PrometheusText.Sum(text, "spillway_key_cooldown_seconds", ("provider", "mx1-paid"), ("key_id", "mx1-paid-key")));
        Assert.Equal(0, PrometheusText.Sum(text, "spillway_route_breaker_open", ("route", "mx1-paid/gpt-4o-mini")));

        // What the paid key has left, as its answers' rate-limit headers said (OpenAI's x-ratelimit-remaining-*).
        Assert.True(PrometheusText.Sum(text, "spillway_key_remaining", ("provider", "mx1-paid"), ("key_id", "mx1-paid-key"), ("window", "rpm")) > 0);

        // The GenAI histograms: four upstream calls (one refused), their tokens, by the route's provider and model.
        Assert.Equal(3, PrometheusText.Sum(text, "gen_ai_client_operation_duration_seconds_count", ("gen_ai_provider_name", "mx1-paid"), ("gen_ai_operation_name", "chat"), ("gen_ai_request_model", "gpt-4o-mini")));
        Assert.Equal(1, PrometheusText.Sum(text, "gen_ai_client_operation_duration_seconds_count", ("gen_ai_provider_name", "mx1-free"), ("error_type", "rate_limited")));
        Assert.Equal(3, PrometheusText.Sum(text, "gen_ai_client_token_usage_count", ("gen_ai_provider_name", "mx1-paid"), ("gen_ai_token_type", "input")));
        Assert.True(PrometheusText.Sum(text, "gen_ai_client_token_usage_sum", ("gen_ai_provider_name", "mx1-paid"), ("gen_ai_token_type", "output")) > 0);

        // The framework's own: ASP.NET Core's request duration, HttpClient's, the runtime's.
        Assert.Contains("http_server_request_duration_seconds_count", text, StringComparison.Ordinal);
        Assert.Contains("http_client_request_duration_seconds_count", text, StringComparison.Ordinal);
        Assert.Contains("dotnet_gc_collections_total", text, StringComparison.Ordinal);
        Assert.DoesNotContain(TestGateway.SecretOf("mx1-free"), text, StringComparison.Ordinal);
        Assert.DoesNotContain(TestGateway.SecretOf("mx1-paid"), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_AStreamedAnswer_RecordsItsTimeToFirstToken()
    {
        await using var gateway = await StartAsync("mx2");
        using (var response = await gateway.ChatAsync("mx2-chain", stream: true))
        {
            await response.Content.ReadAsStringAsync();
        }

        var text = await gateway.Http.GetStringAsync("/metrics");

        Assert.Equal(1, PrometheusText.Sum(text, "gen_ai_server_time_to_first_token_seconds_count", ("gen_ai_provider_name", "mx2-free")));
        Assert.True(PrometheusText.Sum(text, "spillway_saved_usd_total", ("route", "mx2-free/llama-3.3-70b-versatile")) > 0);
    }

    [Fact]
    public async Task Metrics_AModelNoConfigNames_IsLabelledOther()
    {
        await using var gateway = await StartAsync("mx3");
        using (await gateway.ChatAsync("mx3-no-such-model-" + Guid.NewGuid()))
        {
        }

        var text = await gateway.Http.GetStringAsync("/metrics");

        Assert.DoesNotContain("mx3-no-such-model", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_WithAnAdminToken_AreRefusedWithoutIt_UnlessPublic()
    {
        await using var guarded = await StartAsync("mx4", config => config with { Auth = new AuthConfig { AdminToken = new Secret("mx4-admin-token-0123456789") } });
        using (var refused = await guarded.Http.GetAsync("/metrics"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Contains("\"error\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, "/metrics"))
        {
            request.Headers.Authorization = new("Bearer", "mx4-admin-token-0123456789");
            using var admitted = await guarded.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
            Assert.StartsWith("text/plain", admitted.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        }

        await using var open = await StartAsync(
            "mx5",
            config => config with
            {
                Auth = new AuthConfig { AdminToken = new Secret("mx5-admin-token-0123456789") },
                Telemetry = TelemetryConfig.Default with { MetricsPublic = true },
            });
        using var scraped = await open.Http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        Assert.DoesNotContain("mx5-admin-token", await scraped.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>A free Groq-style provider, then a paid OpenAI-style one (priced; a free call's saving is priced at it), under the alias <c>{prefix}-chain</c>.</summary>
    private static Task<TestGateway> StartAsync(string prefix, Func<SpillwayConfig, SpillwayConfig>? configure = null) =>
        TestGateway.StartAsync(
            [new SimulatedProvider(prefix + "-free", SimulatorStyle.Groq), new SimulatedProvider(prefix + "-paid")],
            (_, config) =>
            {
                config = config with
                {
                    Models = [new ModelAliasConfig(prefix + "-chain", RoutingStrategy.Ordered, [.. config.Models[0].Route])],
                    Pricing = [new PriceOverride(prefix + "-paid/gpt-4o-mini", 0.15m, 0.60m)],
                };
                return configure?.Invoke(config) ?? config;
            });
}
