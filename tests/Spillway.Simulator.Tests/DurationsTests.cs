namespace Spillway.Simulator.Tests;

public sealed class DurationsTests
{
    [Theory]
    [InlineData(0, "0s")]
    [InlineData(12, "12ms")]
    [InlineData(7_660, "7.66s")]
    [InlineData(60_000, "1m0s")]
    [InlineData(179_560, "2m59.56s")]
    [InlineData(578_016, "9m38.016s")]
    [InlineData(3_723_000, "1h2m3s")]
    public void Go_Duration_MatchesGoFormatting(long milliseconds, string expected)
    {
        Assert.Equal(expected, Durations.Go(TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Theory]
    [InlineData(0, "1")]
    [InlineData(200, "1")]
    [InlineData(1_000, "1")]
    [InlineData(1_001, "2")]
    [InlineData(45_000, "45")]
    public void RetryAfter_Duration_IsWholeSecondsRoundedUpAtLeastOne(long milliseconds, string expected)
    {
        Assert.Equal(expected, Durations.RetryAfter(TimeSpan.FromMilliseconds(milliseconds)));
    }
}
