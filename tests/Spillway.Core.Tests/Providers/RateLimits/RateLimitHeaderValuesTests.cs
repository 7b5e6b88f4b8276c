using Spillway.Core.Providers.RateLimits;

namespace Spillway.Core.Tests.Providers.RateLimits;

public class RateLimitHeaderValuesTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 15, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("1000", 1000L)]
    [InlineData(" 42 ", 42L)]
    [InlineData("1000.0", 1000L)]
    [InlineData("-1", -1L)]
    [InlineData("abc", null)]
    [InlineData(null, null)]
    public void Count_Values_ParsesIntegers(string? text, long? expected)
    {
        Assert.Equal(expected, RateLimitHeaderValues.Count(text));
    }

    [Theory]
    [InlineData("1768521600000")]
    [InlineData("1768521600")]
    [InlineData("1768521600.0")]
    [InlineData("2026-01-16T00:00:00Z")]
    public void FlexibleReset_EpochOrTimestamp_ReturnsTheInstant(string text)
    {
        Assert.Equal(new DateTimeOffset(2026, 1, 16, 0, 0, 0, TimeSpan.Zero), RateLimitHeaderValues.FlexibleReset(text, Now));
    }

    [Theory]
    [InlineData("30")]
    [InlineData("30s")]
    public void FlexibleReset_SmallNumberOrDuration_CountsFromNow(string text)
    {
        Assert.Equal(Now.AddSeconds(30), RateLimitHeaderValues.FlexibleReset(text, Now));
    }

    [Theory]
    [InlineData("(cut in source)")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("99999999999999999999999")]
    public void FlexibleReset_Garbage_ReturnsNull(string? text)
    {
        Assert.Null(RateLimitHeaderValues.FlexibleReset(text, Now));
    }

    [Fact]
    public void AfterDuration_NegativeDuration_ReturnsNull()
    {
        Assert.Null(RateLimitHeaderValues.AfterDuration("-3s", Now));
    }

    [Fact]
    public void Timestamp_Rfc3339WithOffset_ReturnsUtcInstant()
    {
        Assert.Equal(new DateTimeOffset(2025, 8, 21, 12, 40, 59, TimeSpan.Zero), RateLimitHeaderValues.Timestamp("2025-08-21T14:40:59+02:00"));
    }
}
