namespace Spillway.Simulator.Tests;

public sealed class RateLimitHeadersTests
{
    private static readonly QuotaSnapshot Usage = new(
        MinuteRequests: 2,
        MinuteTokens: 300,
        MinuteReset: TimeSpan.FromSeconds(7.66),
        DayRequests: 40,
        DayReset: TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(59.56),
        MonthTokens: 5_000,
        NextMidnight: DateTimeOffset.UnixEpoch);

    [Fact]
    public void For_Groq_ReportsRequestsPerDayAndTokensPerMinute()
    {
        var headers = ToDictionary(RateLimitHeaders.For(SimulatorStyle.Groq, new QuotaLimits(30, 1000), Usage, 100));

        Assert.Equal("1000", headers["x-ratelimit-limit-requests"]);
        Assert.Equal("960", headers["x-ratelimit-remaining-requests"]);
        Assert.Equal("2m59.56s", headers["x-ratelimit-reset-requests"]);
        Assert.Equal("12000", headers["x-ratelimit-limit-tokens"]);
        Assert.Equal("11700", headers["x-ratelimit-remaining-tokens"]);
        Assert.Equal("7.66s", headers["x-ratelimit-reset-tokens"]);
    }

    [Fact]
    public void For_OpenAI_ReportsTheMinuteWindow()
    {
        var headers = ToDictionary(RateLimitHeaders.For(SimulatorStyle.OpenAI, new QuotaLimits(null, 1000), Usage, 100));

        Assert.Equal("5000", headers["x-ratelimit-limit-requests"]);
        Assert.Equal("4998", headers["x-ratelimit-remaining-requests"]);
        Assert.Equal("7.66s", headers["x-ratelimit-reset-requests"]);
    }

    [Fact]
    public void For_Mistral_ReportsTokenBudgetsAndQueryCost()
    {
        var headers = ToDictionary(RateLimitHeaders.For(SimulatorStyle.Mistral, default, Usage, 100));

        Assert.Equal("500000", headers["x-ratelimit-limit-tokens-minute"]);
        Assert.Equal("499700", headers["x-ratelimit-remaining-tokens-minute"]);
        Assert.Equal("999995000", headers["x-ratelimit-remaining-tokens-month"]);
        Assert.Equal("100", headers["x-ratelimit-tokens-query-cost"]);
    }

    [Theory]
    [InlineData(SimulatorStyle.OpenRouter)]
    [InlineData(SimulatorStyle.GeminiOpenAICompat)]
    public void For_StylesWithoutSuccessHeaders_IsEmpty(SimulatorStyle style)
    {
        Assert.Empty(RateLimitHeaders.For(style, default, Usage, 100));
    }

    private static Dictionary<string, string> ToDictionary(IEnumerable<KeyValuePair<string, string>> headers) =>
        headers.ToDictionary(header => header.Key, header => header.Value, StringComparer.Ordinal);
}
