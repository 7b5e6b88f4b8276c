using Spillway.Core.Health;

namespace Spillway.Core.Tests.Health;

/// <summary>The moving averages behind the <c>fastest</c> strategy.</summary>
public sealed class RouteSpeedBookTests
{
    private const string Route = "groq/llama-3.3-70b-versatile";

    [Fact]
    public void ExpectedLatencyMs_Unmeasured_IsNull()
    {
        var book = new RouteSpeedBook();

        Assert.Null(book.ExpectedLatencyMs(Route));
        Assert.Equal(RouteSpeedView.Unmeasured, book.View(Route));
    }

    [Fact]
    public void RecordLatency_FirstSample_SetsTheAverage()
    {
        var book = new RouteSpeedBook();

        book.RecordLatency(Route, 800);

        Assert.Equal(800, book.ExpectedLatencyMs(Route));
    }

    [Fact]
    public void RecordLatency_LaterSamples_MoveTheAverageByTheWeight()
    {
        var book = new RouteSpeedBook();

        book.RecordLatency(Route, 1000);
        book.RecordLatency(Route, 2000);
        book.RecordLatency(Route, 0);

        // 1000 → 1000 + 0.3 × 1000 = 1300 → 1300 − 0.3 × 1300 = 910
        Assert.Equal(910, book.ExpectedLatencyMs(Route)!.Value, precision: 9);
        Assert.Equal(3, book.View(Route).Samples);
    }

    [Fact]
    public void RecordLatency_ARouteThatSlowsDown_IsSeenWithinAFewCalls()
    {
        var book = new RouteSpeedBook();
        for (var i = 0; i < 20; i++)
        {
            book.RecordLatency(Route, 200);
        }

        for (var i = 0; i < 6; i++)
        {
            book.RecordLatency(Route, 2000);
        }

        Assert.True(book.ExpectedLatencyMs(Route) > 1700);
    }

    [Fact]
    public void ExpectedLatencyMs_WithStreamsMeasured_IsTheTimeToFirstToken()
    {
        var book = new RouteSpeedBook();

        book.RecordLatency(Route, 3000);
        book.RecordTtft(Route, 250);

        Assert.Equal(250, book.ExpectedLatencyMs(Route));
        Assert.Equal(new RouteSpeedView(3000, 250, 2), book.View(Route));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(-1)]
    public void RecordLatency_ANonsenseSample_IsIgnored(double ms)
    {
        var book = new RouteSpeedBook();

        book.RecordLatency(Route, ms);

        Assert.Null(book.ExpectedLatencyMs(Route));
    }

    [Fact]
    public void Routes_AreMeasuredApart()
    {
        var book = new RouteSpeedBook();

        book.RecordLatency(Route, 100);
        book.RecordLatency("openai/gpt-4o-mini", 900);

        Assert.Equal(100, book.ExpectedLatencyMs(Route));
        Assert.Equal(900, book.ExpectedLatencyMs("openai/gpt-4o-mini"));
    }
}
