using System.Net;
using Spillway.Core.Configuration;
using Spillway.Core.Engine;
using Spillway.Core.Providers;
using static Spillway.Core.Tests.Engine.EngineHarness;

namespace Spillway.Core.Tests.Engine;

/// <summary>The headers of an answer tell what happened: <c>x-spillway-route</c> only on an answer a route served,
/// <c>x-spillway-tried</c> the routes called, in order, each once; <c>Retry-After</c> when only open breakers stood
/// in the way.</summary>
public sealed class FallbackEngineHeadersTests
{
    private static readonly RouteStep A = Step(Provider("a"));
    private static readonly RouteStep B = Step(Provider("b"));

    private static HttpResponseMessage ServerError() =>
        Answers.Json(HttpStatusCode.InternalServerError, """{"error":{"message":"boom","type":"server_error"}}""");

    private static HttpResponseMessage Served() => Answers.Json(HttpStatusCode.OK, OpenAICompletion());

    [Fact]
    public async Task ExecuteAsync_EveryRouteFails_502WithoutRouteAndTriedNamesEachCalledRouteOnce()
    {
        using var harness = new EngineHarness();
        harness.Upstream.Default("a", ServerError);
        harness.Upstream.Default("b", ServerError);

        var response = await harness.ServeAsync(harness.Call(stream: false, A, B));

        Assert.Equal(502, response.Status);
        Assert.False(response.Headers.ContainsKey(SpillwayHeaders.Route));
        Assert.Equal("a/m,b/m", response.Headers[SpillwayHeaders.Tried]);
        Assert.Equal("4", response.Headers[SpillwayHeaders.Attempts]);
        Assert.False(response.Headers.ContainsKey("Retry-After"));
    }

    [Fact]
    public async Task ExecuteAsync_FallbackServes_RouteIsTheServerAndTriedListsEveryCalledRoute()
    {
        using var harness = new EngineHarness();
        harness.Upstream.Default("a", ServerError);
        harness.Upstream.Enqueue("b", Served);

        var response = await harness.ServeAsync(harness.Call(stream: false, A, B));

        Assert.Equal("b/m", response.Headers[SpillwayHeaders.Route]);
        Assert.Equal("a/m,b/m", response.Headers[SpillwayHeaders.Tried]);
    }

    [Fact]
    public async Task ExecuteAsync_StreamServedFirstTry_TriedIsTheServingRoute()
    {
        using var harness = new EngineHarness();
        harness.Upstream.Enqueue("a", () => Answers.Stream(OpenAIStream()));

        var response = await harness.ServeAsync(harness.Call(stream: true, A, B));

        Assert.Equal("a/m", response.Headers[SpillwayHeaders.Route]);
        Assert.Equal("a/m", response.Headers[SpillwayHeaders.Tried]);
    }

    [Fact]
    public async Task ExecuteAsync_NoUpstreamCalled_NeitherRouteNorTried()
    {
        using var harness = new EngineHarness();
        harness.Upstream.Enqueue("a", () => Answers.Json(
            HttpStatusCode.TooManyRequests,
            """{"error":{"message":"Rate limit reached for requests","type":"requests","code":"rate_limit_exceeded"}}""",
            ("retry-after", "30")));
        await harness.ServeAsync(harness.Call(stream: false, A));

        var response = await harness.ServeAsync(harness.Call(stream: false, A));

        Assert.Equal(429, response.Status);
        Assert.Equal("0", response.Headers[SpillwayHeaders.Attempts]);
        Assert.False(response.Headers.ContainsKey(SpillwayHeaders.Route));
        Assert.False(response.Headers.ContainsKey(SpillwayHeaders.Tried));
    }

    [Fact]
    public async Task ExecuteAsync_EveryRouteBehindAnOpenBreaker_502WithRetryAfterAtTheSoonestProbe()
    {
        using var harness = new EngineHarness(breaker: new BreakerConfig(2, TimeSpan.FromSeconds(30)));
        harness.Upstream.Default("a", ServerError);
        harness.Upstream.Default("b", ServerError);
        await harness.ServeAsync(harness.Call(stream: false, A));
        harness.Time.Advance(TimeSpan.FromSeconds(10));
        await harness.ServeAsync(harness.Call(stream: false, B));
        harness.Time.Advance(TimeSpan.FromSeconds(5.5));

        var response = await harness.ServeAsync(harness.Call(stream: false, B, A));

        Assert.Equal(502, response.Status);
        Assert.Equal(["skipped_breaker", "skipped_breaker"], harness.Outcomes());
        Assert.Equal("15", response.Headers["Retry-After"]);
        Assert.Equal(4, harness.Upstream.CallsTo("a") + harness.Upstream.CallsTo("b"));
    }

    [Fact]
    public async Task ExecuteAsync_OnlyBreakerFarAway_RetryAfterIsAtMostADay()
    {
        using var harness = new EngineHarness(breaker: new BreakerConfig(2, TimeSpan.FromDays(3)));
        harness.Upstream.Default("a", ServerError);
        await harness.ServeAsync(harness.Call(stream: false, A));

        var response = await harness.ServeAsync(harness.Call(stream: false, A));

        Assert.Equal(502, response.Status);
        Assert.Equal("86400", response.Headers["Retry-After"]);
    }
}
