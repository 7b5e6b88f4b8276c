using static Spillway.Tests.Endpoints.OpenAIEndpointsFallbackTests;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Spillway.Core.Configuration;
using Spillway.Core.Engine;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Routing;

/// <summary>A failing route's breaker opens, its steps are skipped without a call, one probe closes it again.</summary>
public sealed class RouteBreakerTests
{
    private static readonly BreakerConfig FourFailures = new(4, TimeSpan.FromSeconds(30));

    [Fact]
    public async Task RepeatedServerErrors_OpenTheBreaker_ThenOneProbeAfterTheCoolOffClosesIt()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));
        await using var gateway = await StartAsync(time);
        // Each request calls a server error twice (once more at once), so two requests reach four failures.
        gateway["a"].EnqueueMany(SimulatedFault.ServerError(), SimulatedFault.ServerError(), SimulatedFault.ServerError(), SimulatedFault.ServerError());
        await ServedByAsync(gateway, "b/gpt-4o-mini");
        await ServedByAsync(gateway, "b/gpt-4o-mini");
        Assert.Equal(4, gateway["a"].CallCount);

        await ServedByAsync(gateway, "b/gpt-4o-mini");

        Assert.Equal(4, gateway["a"].CallCount);
        var skipped = (await gateway.LedgerAsync(1))[0];
        Assert.Equal(["skipped_breaker", "ok"], Outcomes(skipped));
        var attempt = skipped.GetProperty("attempts")[0];
        Assert.Equal(JsonValueKind.Null, attempt.GetProperty("status").ValueKind);
        Assert.Equal("a-key", attempt.GetProperty("key_id").GetString());
        Assert.StartsWith("breaker open until 2026-11-27T10:00:30", attempt.GetProperty("detail").GetString(), StringComparison.Ordinal);

        time.Advance(TimeSpan.FromSeconds(29));
        await ServedByAsync(gateway, "b/gpt-4o-mini");
        Assert.Equal(4, gateway["a"].CallCount);

        time.Advance(TimeSpan.FromSeconds(1));
        await ServedByAsync(gateway, "a/gpt-4o-mini");
        await ServedByAsync(gateway, "a/gpt-4o-mini");

        Assert.Equal(6, gateway["a"].CallCount);
        Assert.Equal(["ok"], Outcomes((await gateway.LedgerAsync(1))[0]));
    }

    [Fact]
    public async Task FailedProbe_ReopensTheBreakerForADoubledCoolOff()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));
        await using var gateway = await StartAsync(time);
        gateway["a"].EnqueueMany(Enumerable.Repeat(SimulatedFault.Overloaded(), 5));
        for (var i = 0; i < 4; i++)
        {
            await ServedByAsync(gateway, "b/gpt-4o-mini");
        }

        time.Advance(TimeSpan.FromSeconds(30));
        await ServedByAsync(gateway, "b/gpt-4o-mini");
        Assert.Equal(["overloaded", "ok"], Outcomes((await gateway.LedgerAsync(1))[0]));
        Assert.Equal(5, gateway["a"].CallCount);

        time.Advance(TimeSpan.FromSeconds(59));
        await ServedByAsync(gateway, "b/gpt-4o-mini");
        Assert.Equal(5, gateway["a"].CallCount);
        time.Advance(TimeSpan.FromSeconds(1));
        await ServedByAsync(gateway, "a/gpt-4o-mini");
    }

    [Fact]
    public async Task DefaultBreaker_PrimaryDownTwelveSecondsThenHealthy_ServesEveryRequestAndTheRecoveredPrimaryAgainWithinFifteenSeconds()
    {
        // The failover scenario of a primary down for 12 s, then healthy, with a request every 1.5 s.
        var start = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(start);
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("a"), new SimulatedProvider("b")], time: time);
        var recovered = start.AddSeconds(12);
        DateTimeOffset? backOnPrimary = null;
        for (var i = 0; i < 40 && backOnPrimary is null; i++)
        {
            var down = time.GetUtcNow() < recovered;
            var calls = gateway["a"].CallCount;
            if (down)
            {
                gateway["a"].Enqueue(SimulatedFault.Overloaded());
            }

            using var response = await gateway.ChatAsync("chain");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            if (down && gateway["a"].CallCount == calls)
            {
                // Skipped behind its breaker: the outage answer it did not get must not wait for the probe.
                gateway["a"].Reset();
            }

            if (!down && response.Headers.GetValues(SpillwayHeaders.Route).Single() == "a/gpt-4o-mini")
            {
                backOnPrimary = time.GetUtcNow();
            }

            time.Advance(TimeSpan.FromSeconds(1.5));
        }

        Assert.NotNull(backOnPrimary);
        Assert.True(backOnPrimary.Value - recovered <= TimeSpan.FromSeconds(15), $"the primary took traffic again {(backOnPrimary.Value - recovered).TotalSeconds} s after it recovered");
    }

    [Fact]
    public async Task RateLimitsAndCallerFaults_DoNotOpenTheBreaker()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));
        await using var gateway = await StartAsync(time);
        for (var i = 0; i < 5; i++)
        {
            gateway["a"].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromSeconds(1)));
            await ServedByAsync(gateway, "b/gpt-4o-mini");
            time.Advance(TimeSpan.FromSeconds(2));
        }

        await ServedByAsync(gateway, "a/gpt-4o-mini");
        Assert.Equal(6, gateway["a"].CallCount);
    }

    [Fact]
    public async Task EveryRouteBehindAnOpenBreaker_Answers502NamingTheBreakerWithRetryAfterAtTheProbe()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("a")],
            (_, config) => config with { Breaker = new BreakerConfig(1, TimeSpan.FromSeconds(30)) },
            time: time);
        gateway["a"].Enqueue(SimulatedFault.Overloaded());
        using (await gateway.ChatAsync("chain"))
        {
        }

        using var response = await gateway.ChatAsync("chain");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("30", response.Headers.GetValues("Retry-After").Single());
        Assert.Contains("skipped_breaker: breaker open until 2026-11-27T10:00:30", body, StringComparison.Ordinal);
        Assert.Equal(1, gateway["a"].CallCount);
    }

    [Fact]
    public async Task OpenBreakerAndARateLimitedRoute_Answers429WithTheRateLimitsRecovery()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));
        await using var gateway = await StartWithRouteAOpenAsync(time);
        gateway["b"].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromSeconds(20)));

        using var response = await gateway.ChatAsync("chain");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("20", Header(response, "Retry-After"));
        Assert.Equal(["skipped_breaker", "rate_limited"], Outcomes((await gateway.LedgerAsync(1))[0]));
    }

    [Fact]
    public async Task BreakerProbeSoonerThanTheRateLimit_429RetryAfterIsTheProbe()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));
        await using var gateway = await StartWithRouteAOpenAsync(time);
        gateway["b"].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromSeconds(120)));

        using var response = await gateway.ChatAsync("chain");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("30", Header(response, "Retry-After"));
    }

    [Fact]
    public async Task RouteReset_ClosesAnOpenBreaker_TheNextRequestCallsTheRoute()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));
        await using var gateway = await StartWithRouteAOpenAsync(time);

        using var reset = await gateway.Http.PostAsync("/admin/routes/a%2Fgpt-4o-mini/reset", null);
        using var unknown = await gateway.Http.PostAsync("/admin/routes/a/no-such-model/reset", null);

        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Contains("\"breaker_was\":\"open\"", await reset.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        await ServedByAsync(gateway, "a/gpt-4o-mini");
        Assert.Equal(2, gateway["a"].CallCount);
    }

    /// <summary>Two routes whose breakers open at the first failure (for 30 s), route a's already open.</summary>
    private static async Task<TestGateway> StartWithRouteAOpenAsync(TimeProvider time)
    {
        var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("a"), new SimulatedProvider("b")],
            (_, config) => config with { Breaker = new BreakerConfig(1, TimeSpan.FromSeconds(30)) },
            time: time);
        gateway["a"].Enqueue(SimulatedFault.Overloaded());
        await ServedByAsync(gateway, "b/gpt-4o-mini");
        return gateway;
    }

    private static Task<TestGateway> StartAsync(TimeProvider time) => TestGateway.StartAsync(
        [new SimulatedProvider("a"), new SimulatedProvider("b")],
        (_, config) => config with { Breaker = FourFailures },
        time: time);

    internal static async Task ServedByAsync(TestGateway gateway, string route)
    {
        using var response = await gateway.ChatAsync("chain");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(route, Header(response, SpillwayHeaders.Route));
    }
}
