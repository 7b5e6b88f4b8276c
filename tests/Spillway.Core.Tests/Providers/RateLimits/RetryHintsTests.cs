using Spillway.Core.Providers.RateLimits;

namespace Spillway.Core.Tests.Providers.RateLimits;

public class RetryHintsTests
{
    private static readonly DateTimeOffset Now = new(2025, 8, 21, 12, 40, 0, TimeSpan.Zero);

    private static UpstreamHeaders Headers(params (string Name, string Value)[] headers) =>
        new(headers.ToDictionary(h => h.Name, h => h.Value));

    [Fact]
    public void ReadRetryAt_RetryAfterMs_WinsOverRetryAfter()
    {
        var at = RetryHints.ReadRetryAt(Headers(("retry-after-ms", "1500.5"), ("retry-after", "30")), Now);

        Assert.Equal(Now.AddMilliseconds(1500.5), at);
    }

    [Theory]
    [InlineData("2", 2_000)]
    [InlineData("0.25", 250)]
    [InlineData(" 17 ", 17_000)]
    [InlineData("0", 0)]
    public void ReadRetryAt_RetryAfterSeconds_AddsToNow(string value, int expectedMillis)
    {
        Assert.Equal(Now.AddMilliseconds(expectedMillis), RetryHints.ReadRetryAt(Headers(("Retry-After", value)), Now));
    }

    [Fact]
    public void ReadRetryAt_RetryAfterHttpDate_ReturnsTheDate()
    {
        var at = RetryHints.ReadRetryAt(Headers(("retry-after", "Thu, 21 Aug 2025 12:41:30 GMT")), Now);

        Assert.Equal(new DateTimeOffset(2025, 8, 21, 12, 41, 30, TimeSpan.Zero), at);
    }

    [Fact]
    public void ReadRetryAt_HttpDateInThePast_ReturnsNow()
    {
        Assert.Equal(Now, RetryHints.ReadRetryAt(Headers(("retry-after", "Thu, 21 Aug 2025 12:00:00 GMT")), Now));
    }

    [Theory]
    [InlineData("retry-after-ms", "-5")]
    [InlineData("retry-after-ms", "NaN")]
    [InlineData("retry-after", "-1")]
    [InlineData("retry-after", "soon")]
    [InlineData("retry-after", "Infinity")]
    public void ReadRetryAt_Garbage_ReturnsNull(string name, string value)
    {
        Assert.Null(RetryHints.ReadRetryAt(Headers((name, value)), Now));
    }

    [Fact]
    public void ReadRetryAt_BadMillisecondsButGoodSeconds_UsesSeconds()
    {
        Assert.Equal(Now.AddSeconds(3), RetryHints.ReadRetryAt(Headers(("retry-after-ms", "x"), ("retry-after", "3")), Now));
    }

    [Fact]
    public void ReadRetryAt_NoHeaders_ReturnsNull()
    {
        Assert.Null(RetryHints.ReadRetryAt(UpstreamHeaders.Empty, Now));
    }

    [Fact]
    public void ReadRetryAt_AbsurdWait_IsCappedNotThrown()
    {
        var at = RetryHints.ReadRetryAt(Headers(("retry-after", "99999999999")), Now);

        Assert.Equal(Now.AddDays(366), at);
    }
}
