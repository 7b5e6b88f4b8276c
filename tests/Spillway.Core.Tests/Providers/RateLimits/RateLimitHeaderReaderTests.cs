using Spillway.Core.Providers.RateLimits;

namespace Spillway.Core.Tests.Providers.RateLimits;

public class RateLimitHeaderReaderTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 15, 10, 0, 0, TimeSpan.Zero);

    private static RateLimitSnapshot Read(RateLimitScheme scheme, IReadOnlyDictionary<string, string> headers, DateTimeOffset now) =>
        RateLimitHeaderReader.Read(new RateLimitRules(scheme), new UpstreamHeaders(headers), now);

    [Fact]
    public void Read_OpenAIRecorded200_ReadsPerMinuteRequestsAndTokens()
    {
        var recorded = RecordedResponse.Load("openai-chat-completion-200-with-ratelimit-headers.txt");
        using var response = recorded.ToHttpResponse();
        var now = recorded.Date;

        var snapshot = RateLimitHeaderReader.Read(new RateLimitRules(RateLimitScheme.OpenAI), new UpstreamHeaders(response), now);

        Assert.Equal(5000, snapshot.RequestLimit);
        Assert.Equal(4999, snapshot.RequestsRemaining);
        Assert.Equal(now.AddMilliseconds(12), snapshot.RequestsResetAt);
        Assert.Equal(RateLimitWindow.Minute, snapshot.RequestWindow);
        Assert.Equal(800000, snapshot.TokenLimit);
        Assert.Equal(799986, snapshot.TokensRemaining);
        Assert.Equal(now.AddMilliseconds(1), snapshot.TokensResetAt);
        Assert.Equal(RateLimitWindow.Minute, snapshot.TokenWindow);
        Assert.Null(snapshot.MonthlyTokenLimit);
    }

    [Fact]
    public void Read_GroqRecorded200_ReadsRequestsPerDayAndTokensPerMinute()
    {
        var recorded = RecordedResponse.Load("groq-chat-completion-200-with-ratelimit-headers.txt");
        var now = recorded.Date;

        var snapshot = Read(RateLimitScheme.Groq, recorded.HeaderMap, now);

        Assert.Equal(500000, snapshot.RequestLimit);
        Assert.Equal(499999, snapshot.RequestsRemaining);
        Assert.Equal(now + TimeSpan.FromTicks(1_727_999), snapshot.RequestsResetAt);
        Assert.Equal(RateLimitWindow.Day, snapshot.RequestWindow);
        Assert.Equal(250000, snapshot.TokenLimit);
        Assert.Equal(249969, snapshot.TokensRemaining);
        Assert.Equal(now + TimeSpan.FromTicks(74_400), snapshot.TokensResetAt);
        Assert.Equal(RateLimitWindow.Minute, snapshot.TokenWindow);
    }

    [Fact]
    public void Read_GroqHeadersUnderOpenAIScheme_CountsRequestsPerMinute()
    {
        var recorded = RecordedResponse.Load("groq-chat-completion-200-with-ratelimit-headers.txt");

        var snapshot = Read(RateLimitScheme.OpenAI, recorded.HeaderMap, recorded.Date);

        Assert.Equal(RateLimitWindow.Minute, snapshot.RequestWindow);
    }

    [Fact]
    public void Read_AnthropicRecorded200_ReadsRfc3339Resets()
    {
        var recorded = RecordedResponse.Load("anthropic-messages-200-with-ratelimit-headers.txt");
        using var response = recorded.ToHttpResponse();

        var snapshot = RateLimitHeaderReader.Read(new RateLimitRules(RateLimitScheme.Anthropic), new UpstreamHeaders(response), recorded.Date);

        Assert.Equal(1000, snapshot.RequestLimit);
        Assert.Equal(999, snapshot.RequestsRemaining);
        Assert.Equal(new DateTimeOffset(2025, 8, 21, 12, 40, 59, TimeSpan.Zero), snapshot.RequestsResetAt);
        Assert.Equal(RateLimitWindow.Minute, snapshot.RequestWindow);
        Assert.Equal(96000, snapshot.TokenLimit);
        Assert.Equal(96000, snapshot.TokensRemaining);
        Assert.Equal(new DateTimeOffset(2025, 8, 21, 12, 40, 59, TimeSpan.Zero), snapshot.TokensResetAt);
        Assert.Equal(RateLimitWindow.Minute, snapshot.TokenWindow);
    }

    [Fact]
    public void Read_AnthropicWithoutCombinedTokens_FallsBackToInputTokens()
    {
        var snapshot = Read(RateLimitScheme.Anthropic, new Dictionary<string, string>
        {
            ["anthropic-ratelimit-input-tokens-limit"] = "80000",
            ["anthropic-ratelimit-input-tokens-remaining"] = "0",
            ["anthropic-ratelimit-input-tokens-reset"] = "2026-01-15T10:00:30Z",
        }, Now);

        Assert.Equal(80000, snapshot.TokenLimit);
        Assert.Equal(0, snapshot.TokensRemaining);
        Assert.Equal(Now.AddSeconds(30), snapshot.TokensResetAt);
        Assert.Null(snapshot.RequestLimit);
        Assert.Equal(RateLimitWindow.Unknown, snapshot.RequestWindow);
    }

    [Fact]
    public void Read_MistralHeaders_ReadsMinuteMonthAndTenSecondWindows()
    {
        var snapshot = Read(RateLimitScheme.Mistral, new Dictionary<string, string>
        {
            ["x-ratelimit-limit-tokens-minute"] = "500000",
            ["x-ratelimit-remaining-tokens-minute"] = "499948",
            ["x-ratelimit-limit-tokens-month"] = "1000000000",
            ["x-ratelimit-remaining-tokens-month"] = "999999948",
            ["x-ratelimit-tokens-query-cost"] = "52",
            ["x-ratelimit-limit-req-10-second"] = "10",
            ["x-ratelimit-remaining-req-10-second"] = "9",
        }, Now);

        Assert.Equal(10, snapshot.RequestLimit);
        Assert.Equal(9, snapshot.RequestsRemaining);
        Assert.Equal(RateLimitWindow.TenSeconds, snapshot.RequestWindow);
        Assert.Equal(500000, snapshot.TokenLimit);
        Assert.Equal(499948, snapshot.TokensRemaining);
        Assert.Equal(RateLimitWindow.Minute, snapshot.TokenWindow);
        Assert.Equal(1_000_000_000, snapshot.MonthlyTokenLimit);
        Assert.Equal(999_999_948, snapshot.MonthlyTokensRemaining);
        Assert.Null(snapshot.TokensResetAt);
    }

    [Theory]
    [InlineData("1768521600000")]
    [InlineData("1768521600")]
    public void Read_OpenRouterReset_AcceptsEpochMillisecondsOrSeconds(string reset)
    {
        var snapshot = Read(RateLimitScheme.OpenRouter, new Dictionary<string, string>
        {
            ["X-RateLimit-Limit"] = "50",
            ["X-RateLimit-Remaining"] = "0",
            ["X-RateLimit-Reset"] = reset,
        }, Now);

        Assert.Equal(50, snapshot.RequestLimit);
        Assert.Equal(0, snapshot.RequestsRemaining);
        Assert.Equal(new DateTimeOffset(2026, 1, 16, 0, 0, 0, TimeSpan.Zero), snapshot.RequestsResetAt);
        Assert.Equal(RateLimitWindow.Unknown, snapshot.RequestWindow);
    }

    [Theory]
    [InlineData(RateLimitScheme.None)]
    [InlineData(RateLimitScheme.Gemini)]
    public void Read_SchemeWithoutHeaders_ReturnsEmptyEvenWhenHeadersArePresent(RateLimitScheme scheme)
    {
        var recorded = RecordedResponse.Load("openai-chat-completion-200-with-ratelimit-headers.txt");

        Assert.Same(RateLimitSnapshot.Empty, Read(scheme, recorded.HeaderMap, recorded.Date));
    }

    [Fact]
    public void Read_NoRateLimitHeaders_ReturnsEmpty()
    {
        var snapshot = Read(RateLimitScheme.OpenAI, new Dictionary<string, string> { ["content-type"] = "application/json" }, Now);

        Assert.Same(RateLimitSnapshot.Empty, snapshot);
        Assert.True(snapshot.IsEmpty);
    }

    [Fact]
    public void Read_EmptyHeaders_ReturnsEmpty()
    {
        Assert.Same(RateLimitSnapshot.Empty, RateLimitHeaderReader.Read(new RateLimitRules(RateLimitScheme.Groq), UpstreamHeaders.Empty, Now));
    }

    [Fact]
    public void Read_UnparseableValues_AreLeftNull()
    {
        var snapshot = Read(RateLimitScheme.OpenAI, new Dictionary<string, string>
        {
            ["x-ratelimit-limit-requests"] = "lots",
            ["x-ratelimit-remaining-requests"] = "3",
            ["x-ratelimit-reset-requests"] = "soon",
        }, Now);

        Assert.Null(snapshot.RequestLimit);
        Assert.Equal(3, snapshot.RequestsRemaining);
        Assert.Null(snapshot.RequestsResetAt);
        Assert.Equal(RateLimitWindow.Minute, snapshot.RequestWindow);
        Assert.Equal(RateLimitWindow.Unknown, snapshot.TokenWindow);
    }

    [Fact]
    public void Read_OnEveryResponse_AllocatesOnlyTheSnapshot()
    {
        // The reader runs on every upstream answer: header look-ups and parses must not allocate.
        var recorded = RecordedResponse.Load("groq-chat-completion-200-with-ratelimit-headers.txt");
        using var response = recorded.ToHttpResponse();
        var headers = new UpstreamHeaders(response);
        var rules = new RateLimitRules(RateLimitScheme.Groq);
        RateLimitHeaderReader.Read(rules, headers, Now);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            RateLimitHeaderReader.Read(rules, headers, Now);
        }

        var perCall = (GC.GetAllocatedBytesForCurrentThread() - before) / 100;
        Assert.InRange(perCall, 1, 200);
    }
}
