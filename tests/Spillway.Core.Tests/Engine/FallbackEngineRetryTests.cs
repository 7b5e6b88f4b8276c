using System.Net;
using System.Net.Sockets;
using Spillway.Core.Engine;
using Spillway.Core.Providers;
using static Spillway.Core.Tests.Engine.EngineHarness;

namespace Spillway.Core.Tests.Engine;

/// <summary>A server error or a broken connection is tried once more on the same step at once (a refused one or an
/// unresolved name moves on at once); a short Retry-After is waited out on the fake clock when no other step could
/// serve.</summary>
public sealed class FallbackEngineRetryTests
{
    private static readonly RouteStep A = Step(Provider("a"));
    private static readonly RouteStep B = Step(Provider("b"));

    private static HttpResponseMessage ServerError() =>
        Answers.Json(HttpStatusCode.InternalServerError, """{"error":{"message":"boom","type":"server_error"}}""");

    private static HttpResponseMessage RateLimited(int retryAfterSeconds) => Answers.Json(
        HttpStatusCode.TooManyRequests,
        """{"error":{"message":"Rate limit reached for requests","type":"requests","code":"rate_limit_exceeded"}}""",
        ("retry-after", retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static HttpResponseMessage Served() => Answers.Json(HttpStatusCode.OK, OpenAICompletion());

    [Fact]
    public async Task ServerError_Twice_RetriedOnceThenTheNextStepServes()
    {
        using var harness = new EngineHarness();
        harness.Upstream.Default("a", ServerError);
        harness.Upstream.Enqueue("b", Served);

        var response = await harness.ServeAsync(harness.Call(stream: false, A, B));

        Assert.Equal("b/m", response.Headers[SpillwayHeaders.Route]);
        Assert.Equal("3", response.Headers[SpillwayHeaders.Attempts]);
        Assert.Equal(2, harness.Upstream.CallsTo("a"));
        Assert.Equal(["server_error", "server_error", "ok"], harness.Outcomes());
    }

    [Theory]
    [InlineData(KeyTier.Free, 2)]
    [InlineData(KeyTier.Paid, 1)]
    public async Task SuccessStatusWithABrokenBody_RetriedOnAFreeKeyButNeverOnAPaidOneThatMayHaveBilledIt(KeyTier tier, int callsToA)
    {
        using var harness = new EngineHarness();
        var a = Step(Provider("a", tier: tier));
        var cut = OpenAICompletion()[..40];
        harness.Upstream.Default("a", () => Answers.Json(HttpStatusCode.OK, cut));
        harness.Upstream.Enqueue("b", Served);

        var response = await harness.ServeAsync(harness.Call(stream: false, a, B));

        Assert.Equal("b/m", response.Headers[SpillwayHeaders.Route]);
        Assert.Equal(callsToA, harness.Upstream.CallsTo("a"));
        Assert.Contains("not complete JSON", harness.Ledger[^1].Attempts[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerError_ThenAnAnswer_TheRetryServesOnTheSameStep()
    {
        using var harness = new EngineHarness();
        harness.Upstream.Enqueue("a", ServerError);
        harness.Upstream.Enqueue("a", Served);

        var response = await harness.ServeAsync(harness.Call(stream: false, A, B));

        Assert.Equal("a/m", response.Headers[SpillwayHeaders.Route]);
        Assert.Equal("2", response.Headers[SpillwayHeaders.Attempts]);
        Assert.Equal(0, harness.Upstream.CallsTo("b"));
        Assert.Equal(["server_error", "ok"], harness.Outcomes());
    }

    [Fact]
    public async Task ConnectionReset_RetriedOnceThenTheNextStepServes()
    {
        using var harness = new EngineHarness();
        harness.Upstream.Default("a", () => throw new HttpRequestException(
            HttpRequestError.ConnectionError, "Connection reset by peer", new SocketException((int)SocketError.ConnectionReset)));
        harness.Upstream.Enqueue("b", Served);

        var response = await harness.ServeAsync(harness.Call(stream: false, A, B));

        Assert.Equal("b/m", response.Headers[SpillwayHeaders.Route]);
        Assert.Equal(2, harness.Upstream.CallsTo("a"));
        Assert.Equal(["connection_failed", "connection_failed", "ok"], harness.Outcomes());
    }

    [Fact]
    public async Task ConnectionRefused_NextStepAfterOneCall()
    {
        using var harness = new EngineHarness();
        harness.Upstream.Default("a", () => throw new HttpRequestException(
            HttpRequestError.ConnectionError, "Connection refused (a.test:443)", new SocketException((int)SocketError.ConnectionRefused)));
        harness.Upstream.Enqueue("b", Served);

        var response = await harness.ServeAsync(harness.Call(stream: false, A, B));

        Assert.Equal("b/m", response.Headers[SpillwayHeaders.Route]);
        Assert.Equal("2", response.Headers[SpillwayHeaders.Attempts]);
        Assert.Equal(1, harness.Upstream.CallsTo("a"));
        Assert.Equal(["connection_failed", "ok"], harness.Outcomes());
    }

    [Fact]
    public async Task HostNameNotResolved_NextStepAfterOneCall()
    {
        using var harness = new EngineHarness();
        harness.Upstream.Default("a", () => throw new HttpRequestException(
            HttpRequestError.NameResolutionError, "Name or service not known (a.test:443)", new SocketException((int)SocketError.HostNotFound)));
        harness.Upstream.Enqueue("b", Served);

        var response = await harness.ServeAsync(harness.Call(stream: false, A, B));

        Assert.Equal("b/m", response.Headers[SpillwayHeaders.Route]);
        Assert.Equal(1, harness.Upstream.CallsTo("a"));
        Assert.Equal(["connection_failed", "ok"], harness.Outcomes());
    }

    [Fact]
    public async Task RateLimited_NotRetriedOnTheSameStep()
    {
        using var harness = new EngineHarness();
        harness.Upstream.Enqueue("a", () => RateLimited(30));
        harness.Upstream.Enqueue("b", Served);

        var response = await harness.ServeAsync(harness.Call(stream: false, A, B));

        Assert.Equal("b/m", response.Headers[SpillwayHeaders.Route]);
        Assert.Equal(1, harness.Upstream.CallsTo("a"));
        Assert.Equal(["rate_limited", "ok"], harness.Outcomes());
    }

    [Fact]
    public async Task ShortRetryAfter_NoOtherStep_WaitedOutOnTheFakeClockThenTheSameKeyServes()
    {
        using var harness = new EngineHarness();
        harness.Upstream.Enqueue("a", () => RateLimited(1));
        harness.Upstream.Enqueue("a", Served);

        var (served, response) = harness.Begin(harness.Call(stream: false, A));
        await harness.Time.TimerMade(TimeSpan.FromSeconds(1));

        Assert.False(served.IsCompleted);
        Assert.Equal(1, harness.Upstream.CallsTo("a"));
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        await served;

        Assert.Equal(200, response.Status);
        Assert.Equal("2", response.Headers[SpillwayHeaders.Attempts]);
        Assert.Equal(["rate_limited", "ok"], harness.Outcomes());
    }

    [Fact]
    public async Task ShortRetryAfter_AnotherStepServes_NoWait()
    {
        using var harness = new EngineHarness();
        harness.Upstream.Enqueue("a", () => RateLimited(1));
        harness.Upstream.Enqueue("b", Served);

        var response = await harness.ServeAsync(harness.Call(stream: false, A, B));

        Assert.Equal("b/m", response.Headers[SpillwayHeaders.Route]);
        Assert.Equal(1, harness.Upstream.CallsTo("a"));
    }

    [Fact]
    public async Task LongRetryAfter_NoOtherStep_429WithRetryAfterAndNoWait()
    {
        using var harness = new EngineHarness();
        harness.Upstream.Enqueue("a", () => RateLimited(30));

        var response = await harness.ServeAsync(harness.Call(stream: false, A));

        Assert.Equal(429, response.Status);
        Assert.Equal("30", response.Headers["Retry-After"]);
        Assert.Equal(1, harness.Upstream.CallsTo("a"));
    }
}
