using System.Net;
using Spillway.Core.Configuration;
using Spillway.Core.Engine;
using Spillway.Core.Providers;
using static Spillway.Core.Tests.Engine.EngineHarness;

namespace Spillway.Core.Tests.Engine;

/// <summary>
/// A silent route times out and the request moves on (never retried on it), and the timeout counts toward the
/// route's breaker. The upstream holds its answer and the test advances the fake clock past the deadline: nothing
/// here waits for real time or races the machine's load.
/// </summary>
public sealed class FallbackEngineTimeoutTests
{
    private static readonly RouteStep A = Step(Provider("a"));
    private static readonly RouteStep B = Step(Provider("b"));

    private static HttpResponseMessage Served() => Answers.Json(HttpStatusCode.OK, OpenAICompletion());

    [Fact]
    public async Task NonStream_SilentBeforeHeaders_TimesOutMovesOnWithoutARetryAndCountsTowardTheBreaker()
    {
        using var harness = new EngineHarness(breaker: new BreakerConfig(1, TimeSpan.FromMinutes(5)));
        var silent = harness.Upstream.Hold("a");
        harness.Upstream.Default("b", Served);

        var (served, response) = harness.Begin(harness.Call(stream: false, A, B));
        await silent.Arrived;
        harness.Time.Advance(TimeoutsConfig.Default.FirstToken);
        await served;

        Assert.Equal("b/m", response.Headers[SpillwayHeaders.Route]);
        Assert.Equal(["timeout", "ok"], harness.Outcomes());
        Assert.Contains("no response in time", harness.Ledger[^1].Attempts[0].Detail, StringComparison.Ordinal);

        await harness.ServeAsync(harness.Call(stream: false, A, B));

        Assert.Equal(["skipped_breaker", "ok"], harness.Outcomes());
        Assert.Equal(1, harness.Upstream.CallsTo("a"));
    }

    [Fact]
    public async Task NonStream_JustBeforeTheDeadline_StillServed()
    {
        using var harness = new EngineHarness();
        var slow = harness.Upstream.Hold("a");

        var (served, response) = harness.Begin(harness.Call(stream: false, A, B));
        await slow.Arrived;
        harness.Time.Advance(TimeoutsConfig.Default.FirstToken - TimeSpan.FromMilliseconds(1));
        slow.Release(Served());
        await served;

        Assert.Equal("a/m", response.Headers[SpillwayHeaders.Route]);
        Assert.Equal(["ok"], harness.Outcomes());
    }

    [Fact]
    public async Task NonStream_ProvidersOwnFirstTokenTimeout_BeatsTheConfigWide()
    {
        using var harness = new EngineHarness();
        var own = TimeoutsConfig.Default with { FirstToken = TimeSpan.FromSeconds(2) };
        var a = Step(Provider("a", timeouts: own));
        var silent = harness.Upstream.Hold("a");
        harness.Upstream.Default("b", Served);

        var (served, response) = harness.Begin(harness.Call(stream: false, a, B));
        await silent.Arrived;
        harness.Time.Advance(TimeSpan.FromSeconds(2));
        await served;

        Assert.Equal("b/m", response.Headers[SpillwayHeaders.Route]);
        Assert.Equal(["timeout", "ok"], harness.Outcomes());
    }

    [Fact]
    public async Task Connect_NoConnectionInTime_TimesOutAndMovesOnWithoutARetry()
    {
        using var harness = new EngineHarness();
        // How SocketsHttpHandler surfaces UpstreamClient's connect callback giving up.
        harness.Upstream.Default("a", () => throw new HttpRequestException(
            HttpRequestError.ConnectionError, "no connection", new TimeoutException("no connection to a.test:443 within 0.3 s")));
        harness.Upstream.Default("b", Served);

        var response = await harness.ServeAsync(harness.Call(stream: false, A, B));

        Assert.Equal("b/m", response.Headers[SpillwayHeaders.Route]);
        Assert.Equal(["timeout", "ok"], harness.Outcomes());
        Assert.Contains("no connection to a.test", harness.Ledger[^1].Attempts[0].Detail, StringComparison.Ordinal);
        Assert.Equal(1, harness.Upstream.CallsTo("a"));
    }

    [Fact]
    public async Task Stream_SilentAfterHeaders_FirstTokenTimeoutMovesOn()
    {
        using var harness = new EngineHarness();
        var body = new ScriptedStream();
        harness.Upstream.Enqueue("a", () => Answers.StreamOver(body));
        harness.Upstream.Default("b", () => Answers.Stream(OpenAIStream()));

        var (served, response) = harness.Begin(harness.Call(stream: true, A, B));
        await body.Blocked;
        harness.Time.Advance(TimeoutsConfig.Default.FirstToken);
        await served;

        Assert.Equal("b/m", response.Headers[SpillwayHeaders.Route]);
        Assert.Equal("[DONE]", response.Data[^1]);
        Assert.Equal(["timeout", "ok"], harness.Outcomes());
        Assert.Contains("no event within 30 s", harness.Ledger[^1].Attempts[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_IdleBeforeTheFirstContent_TimesOutAndMovesOn()
    {
        using var harness = new EngineHarness(breaker: new BreakerConfig(1, TimeSpan.FromMinutes(5)));
        harness.Timeouts = TimeoutsConfig.Default with { IdleStream = TimeSpan.FromMilliseconds(300) };
        var body = new ScriptedStream();
        // The role event comes at once, then the stream goes silent for longer than the idle limit.
        body.WriteEvent(OpenAIStream()[0]);
        harness.Upstream.Enqueue("a", () => Answers.StreamOver(body));
        harness.Upstream.Default("b", () => Answers.Stream(OpenAIStream()));

        var (served, response) = harness.Begin(harness.Call(stream: true, A, B));
        await body.Blocked;
        harness.Time.Advance(TimeSpan.FromMilliseconds(300));
        await served;

        Assert.Equal("b/m", response.Headers[SpillwayHeaders.Route]);
        Assert.Equal("[DONE]", response.Data[^1]);
        Assert.Equal(["timeout", "ok"], harness.Outcomes());
        Assert.Contains("no event within 0.3 s", harness.Ledger[^1].Attempts[0].Detail, StringComparison.Ordinal);
        Assert.Equal(1, harness.Upstream.CallsTo("a"));
    }

    [Fact]
    public async Task Stream_IdleAfterTheFirstContentWithoutContinuation_EndsInBandWithoutFallback()
    {
        using var harness = new EngineHarness();
        harness.OnStreamFailure = StreamFailureMode.Error;
        harness.Timeouts = TimeoutsConfig.Default with { IdleStream = TimeSpan.FromSeconds(5) };
        var body = new ScriptedStream();
        body.WriteEvent(OpenAIStream()[0]);
        body.WriteEvent(OpenAIStream()[1]);
        harness.Upstream.Enqueue("a", () => Answers.StreamOver(body));
        harness.Upstream.Default("b", () => Answers.Stream(OpenAIStream()));

        var (served, response) = harness.Begin(harness.Call(stream: true, A, B));
        await body.Blocked;
        harness.Time.Advance(TimeSpan.FromSeconds(5));
        await served;

        Assert.Equal("a/m", response.Headers[SpillwayHeaders.Route]);
        Assert.Equal(0, harness.Upstream.CallsTo("b"));
        Assert.Equal(["timeout"], harness.Outcomes());
        Assert.Contains("no event within 5 s", response.Data[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_EventsWithinTheIdleLimit_KeepTheStreamAlive()
    {
        using var harness = new EngineHarness();
        harness.Timeouts = TimeoutsConfig.Default with { IdleStream = TimeSpan.FromSeconds(5) };
        var body = new ScriptedStream();
        harness.Upstream.Enqueue("a", () => Answers.StreamOver(body));

        var (served, response) = harness.Begin(harness.Call(stream: true, A, B));
        foreach (var sseEvent in OpenAIStream())
        {
            await body.Blocked;
            harness.Time.Advance(TimeSpan.FromSeconds(4));
            body.WriteEvent(sseEvent);
        }

        await served;

        Assert.Equal("a/m", response.Headers[SpillwayHeaders.Route]);
        Assert.Equal("[DONE]", response.Data[^1]);
        Assert.Equal(["ok"], harness.Outcomes());
    }

    [Fact]
    public async Task ClientGone_WhileTheUpstreamIsSilent_Recorded499WithoutFallback()
    {
        using var harness = new EngineHarness();
        var silent = harness.Upstream.Hold("a");
        using var aborted = new CancellationTokenSource();

        var (served, _) = harness.Begin(harness.Call(stream: false, A, B), aborted.Token);
        await silent.Arrived;
        await aborted.CancelAsync();
        await served;

        Assert.Equal(499, harness.Ledger[^1].Status);
        Assert.Equal(["client_closed"], harness.Outcomes());
        Assert.Equal(0, harness.Upstream.CallsTo("b"));
    }
}
