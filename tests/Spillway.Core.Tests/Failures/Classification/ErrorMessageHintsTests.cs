using Spillway.Core.Failures.Classification;
using Spillway.Core.Providers.RateLimits;

namespace Spillway.Core.Tests.Failures.Classification;

public class ErrorMessageHintsTests
{
    [Theory]
    [InlineData("on tokens per minute (TPM): Limit 12000", null, "tokens", RateLimitWindow.Minute)]
    [InlineData("on tokens per day (TPD): Limit 100000", null, "tokens", RateLimitWindow.Day)]
    [InlineData("on requests per min (RPM): Limit 3", null, "requests", RateLimitWindow.Minute)]
    [InlineData("on requests per day (RPD): Limit 1000", null, "requests", RateLimitWindow.Day)]
    [InlineData("of 40,000 input tokens per minute.", null, "tokens", RateLimitWindow.Minute)]
    [InlineData("Rate limit reached", "tokens", "tokens", RateLimitWindow.Unknown)]
    [InlineData("Rate limit reached", "requests", "requests", RateLimitWindow.Unknown)]
    [InlineData(null, null, "unknown", RateLimitWindow.Unknown)]
    public void Dimension_Wording_FindsKindAndWindow(string? message, string? type, string kind, RateLimitWindow window)
    {
        var expectedKind = Enum.Parse<LimitKind>(kind, ignoreCase: true);

        Assert.Equal(new LimitDimension(expectedKind, window), ErrorMessageHints.Dimension(message, type));
    }

    [Theory]
    [InlineData("Please try again in 18.642s. Visit https://x", 186_420_000)]
    [InlineData("Please try again in 9m38.016s. Need more tokens?", 5_780_160_000)]
    [InlineData("Please try again in 20s. Visit", 200_000_000)]
    [InlineData("limit: 0, model: m\nPlease retry in 7.967587226s.", 79_675_872)]
    [InlineData("Please try again in 6ms.", 60_000)]
    [InlineData("Please try again in 20 seconds.", 200_000_000)]
    [InlineData("please TRY AGAIN IN 2 minutes", 1_200_000_000)]
    public void TryReadWait_StatedWait_ReturnsIt(string message, long ticks)
    {
        Assert.True(ErrorMessageHints.TryReadWait(message, out var wait));
        Assert.Equal(ticks, wait.Ticks);
    }

    [Theory]
    [InlineData("try again later")]
    [InlineData("Please try again in a moment")]
    [InlineData("")]
    [InlineData(null)]
    public void TryReadWait_NoWait_ReturnsFalse(string? message)
    {
        Assert.False(ErrorMessageHints.TryReadWait(message, out _));
    }

    [Theory]
    [InlineData("Rate limit reached for gpt-4o on tokens per min (TPM): Limit 30000, Used 14567", 30000L)]
    [InlineData("Quota exceeded for metric: m, limit: 4000000\nPlease retry", 4000000L)]
    [InlineData("the rate limit of 1,000,000 tokens: Limit 1,000,000.", 1000000L)]
    [InlineData("see https://ai.dev/rate-limit. \n* limit: 0, model", 0L)]
    [InlineData("Rate limit exceeded", null)]
    [InlineData(null, null)]
    public void ReadLimit_NamedLimit_ReturnsTheNumber(string? message, long? expected)
    {
        Assert.Equal(expected, ErrorMessageHints.ReadLimit(message));
    }

    [Theory]
    [InlineData("metric: a, limit: 0, model: m", true)]
    [InlineData("metric: a, limit: 5, model: m\nmetric: b, limit: 0", true)]
    [InlineData("metric: a, limit: 4000000", false)]
    [InlineData("rate limit reached", false)]
    public void HasZeroLimit_Message_FindsLimitZero(string message, bool expected)
    {
        Assert.Equal(expected, ErrorMessageHints.HasZeroLimit(message));
    }
}
