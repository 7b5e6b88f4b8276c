using Microsoft.Extensions.Time.Testing;
using Spillway.Core.Configuration;
using Spillway.Core.Failures;
using Spillway.Core.Health;
using Spillway.Core.Ledger;

namespace Spillway.Core.Tests.Health;

/// <summary>The route breaker's states on a fake clock: open, skip, one probe, close or re-open with backoff.</summary>
public sealed class RouteBreakerBookTests
{
    private const string Route = "groq/llama-3.3-70b-versatile";
    private static readonly BreakerConfig Config = new(3, TimeSpan.FromSeconds(30));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public void OnFailure_FewerThanTheThreshold_KeepsTheRouteAdmitted()
    {
        var book = new RouteBreakerBook(Config, _time);

        Fail(book, FailureClass.ServerError, times: 2);

        Assert.True(book.TryAdmit(Route, out var refusal));
        Assert.Null(refusal);
        Assert.Equal(BreakerState.Closed, book.View(Route).State);
        Assert.Equal(2, book.View(Route).Failures);
    }

    [Fact]
    public void OnFailure_ThresholdOfCountedClasses_OpensUntilTheCoolOffEnds()
    {
        var book = new RouteBreakerBook(Config, _time);

        book.OnFailure(Route, Failure(FailureClass.Overloaded));
        book.OnFailure(Route, Failure(FailureClass.ConnectionFailed));
        var transition = book.OnFailure(Route, Failure(FailureClass.Timeout));

        Assert.Equal(BreakerTransition.Opened, transition);
        Assert.False(book.TryAdmit(Route, out var refusal));
        Assert.Contains("open until 2026-11-27T10:00:30", refusal, StringComparison.Ordinal);
        Assert.Contains("3 consecutive failures", refusal, StringComparison.Ordinal);
        Assert.Contains("timeout reason", refusal, StringComparison.Ordinal);
        var view = book.View(Route);
        Assert.Equal(BreakerState.Open, view.State);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(30), view.OpenUntil);
        Assert.Equal("timeout", view.LastFailure!.Outcome);
    }

    [Fact]
    public void NextAdmission_ClosedOpenAndProbeInFlight_TheMomentACallGoesThrough()
    {
        var book = new RouteBreakerBook(Config, _time);
        var start = _time.GetUtcNow();

        Assert.Equal(start, book.NextAdmission(Route));
        Fail(book, FailureClass.ServerError, times: 3);
        Assert.Equal(start + TimeSpan.FromSeconds(30), book.NextAdmission(Route));

        _time.Advance(TimeSpan.FromSeconds(40));
        Assert.True(book.TryAdmit(Route, out _));
        Assert.Equal(start + TimeSpan.FromSeconds(70), book.NextAdmission(Route));
    }

    [Theory]
    [InlineData(FailureClass.RateLimited)]
    [InlineData(FailureClass.QuotaExhausted)]
    [InlineData(FailureClass.CallerFault)]
    [InlineData(FailureClass.ContentRefused)]
    [InlineData(FailureClass.AuthFailed)]
    [InlineData(FailureClass.ModelUnavailable)]
    public void OnFailure_KeyOrRequestFaults_AreNotCounted(FailureClass failure)
    {
        var book = new RouteBreakerBook(Config, _time);

        Fail(book, failure, times: 10);

        Assert.True(book.TryAdmit(Route, out _));
        Assert.Equal(BreakerView.Closed, book.View(Route));
    }

    [Fact]
    public void OnSuccess_BetweenFailures_ResetsTheConsecutiveCount()
    {
        var book = new RouteBreakerBook(Config, _time);

        Fail(book, FailureClass.ServerError, times: 2);
        book.OnSuccess(Route);
        Fail(book, FailureClass.ServerError, times: 2);

        Assert.True(book.TryAdmit(Route, out _));
        Assert.Equal(2, book.View(Route).Failures);
    }

    [Fact]
    public void TryAdmit_AfterTheCoolOff_LetsOneProbeThroughAndSkipsOthers()
    {
        var book = new RouteBreakerBook(Config, _time);
        Fail(book, FailureClass.ServerError, times: 3);

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(book.TryAdmit(Route, out _));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(BreakerState.HalfOpen, book.View(Route).State);
        var probe = book.TryAdmit(Route, out _);
        var other = book.TryAdmit(Route, out var refusal);

        Assert.True(probe);
        Assert.False(other);
        Assert.StartsWith("breaker half-open: a probe has been in flight since 2026-11-27T10:00:30", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void OnSuccess_OfTheProbe_ClosesTheBreaker()
    {
        var book = new RouteBreakerBook(Config, _time);
        Fail(book, FailureClass.ServerError, times: 3);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(book.TryAdmit(Route, out _));

        var transition = book.OnSuccess(Route);

        Assert.Equal(BreakerTransition.Closed, transition);
        Assert.True(book.TryAdmit(Route, out _));
        Assert.True(book.TryAdmit(Route, out _));
        Assert.Equal(BreakerState.Closed, book.View(Route).State);
        Assert.Equal(0, book.View(Route).Failures);
    }

    [Fact]
    public void OnFailure_OfTheProbe_ReopensWithADoubledCoolOff()
    {
        var book = new RouteBreakerBook(Config, _time);
        Fail(book, FailureClass.ServerError, times: 3);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(book.TryAdmit(Route, out _));

        var first = book.OnFailure(Route, Failure(FailureClass.Overloaded));
        _time.Advance(TimeSpan.FromSeconds(59));
        var during = book.TryAdmit(Route, out _);
        _time.Advance(TimeSpan.FromSeconds(1));
        var secondProbe = book.TryAdmit(Route, out _);
        book.OnFailure(Route, Failure(FailureClass.Overloaded));

        Assert.Equal(BreakerTransition.Reopened, first);
        Assert.False(during);
        Assert.True(secondProbe);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(120), book.View(Route).OpenUntil);
    }

    [Fact]
    public void OnSuccess_AfterAFailedProbe_ClosesAndTheNextOpeningStartsFromTheBaseCoolOff()
    {
        var book = new RouteBreakerBook(Config, _time);
        Fail(book, FailureClass.ServerError, times: 3);
        _time.Advance(TimeSpan.FromSeconds(30));
        book.TryAdmit(Route, out _);
        book.OnFailure(Route, Failure(FailureClass.ServerError));
        _time.Advance(TimeSpan.FromSeconds(60));
        book.TryAdmit(Route, out _);
        book.OnSuccess(Route);

        Fail(book, FailureClass.ServerError, times: 3);

        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(30), book.View(Route).OpenUntil);
    }

    [Fact]
    public void OnNeutral_OfTheProbe_ReleasesItForTheNextRequest()
    {
        var book = new RouteBreakerBook(Config, _time);
        Fail(book, FailureClass.ServerError, times: 3);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(book.TryAdmit(Route, out _));

        book.OnFailure(Route, Failure(FailureClass.RateLimited));

        Assert.True(book.TryAdmit(Route, out _));
        Assert.Equal(BreakerState.HalfOpen, book.View(Route).State);
    }

    [Fact]
    public void TryAdmit_AProbeThatNeverReports_StopsHoldingTheRouteAfterOneCoolOff()
    {
        var book = new RouteBreakerBook(Config, _time);
        Fail(book, FailureClass.ServerError, times: 3);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(book.TryAdmit(Route, out _));

        _time.Advance(TimeSpan.FromSeconds(29));
        var held = book.TryAdmit(Route, out _);
        _time.Advance(TimeSpan.FromSeconds(1));
        var released = book.TryAdmit(Route, out _);

        Assert.False(held);
        Assert.True(released);
    }

    [Fact]
    public void OnSuccess_WhileOpen_DoesNotCloseIt()
    {
        var book = new RouteBreakerBook(Config, _time);
        Fail(book, FailureClass.ServerError, times: 3);

        var transition = book.OnSuccess(Route);

        Assert.Equal(BreakerTransition.None, transition);
        Assert.False(book.TryAdmit(Route, out _));
    }

    [Fact]
    public void Routes_AreIndependent()
    {
        var book = new RouteBreakerBook(Config, _time);

        Fail(book, FailureClass.ServerError, times: 3);

        Assert.True(book.TryAdmit("openai/gpt-4o-mini", out _));
        Assert.Equal([Route], book.Routes);
    }

    [Theory]
    [InlineData(30, 0, 30)]
    [InlineData(30, 1, 60)]
    [InlineData(30, 4, 480)]
    [InlineData(30, 5, 600)]
    [InlineData(30, 100, 600)]
    [InlineData(3600, 3, 3600)]
    public void CoolOff_DoublesPerFailedProbeUpToTheCap(int openSeconds, int reopens, int expectedSeconds)
    {
        var config = new BreakerConfig(5, TimeSpan.FromSeconds(openSeconds));

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), RouteBreaker.CoolOff(config, reopens));
    }

    private static FailureClassification Failure(FailureClass failure) =>
        new(failure, Outcomes.Of(failure) + " reason");

    private static void Fail(RouteBreakerBook book, FailureClass failure, int times)
    {
        for (var i = 0; i < times; i++)
        {
            book.OnFailure(Route, Failure(failure));
        }
    }
}
