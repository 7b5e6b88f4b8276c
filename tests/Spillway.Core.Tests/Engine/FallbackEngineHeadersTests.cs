using System.Net;
using Spillway.Core.Engine;
using Spillway.Core.Providers;
using static Spillway.Core.Tests.Engine.EngineHarness;

namespace Spillway.Core.Tests.Engine;

/// <summary>The <c>x-spillway-*</c> headers tell what happened: <c>x-spillway-route</c> only on an answer a route
/// served, <c>x-spillway-tried</c> the routes called, in order, each once.</summary>
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
}
