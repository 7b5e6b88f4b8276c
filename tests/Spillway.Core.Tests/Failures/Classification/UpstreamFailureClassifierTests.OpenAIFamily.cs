using Spillway.Core.Failures;

namespace Spillway.Core.Tests.Failures.Classification;

public partial class UpstreamFailureClassifierTests
{
    private const string GroqSamples = "groq-429-samples.json";
    private const string OpenAISamples = "openai-429-samples.json";

    [Theory]
    [InlineData(0, FailureClass.RateLimited, CooldownScope.KeyModel, "2026-03-10T15:30:01.9849999Z", 12000L)]
    [InlineData(1, FailureClass.QuotaExhausted, CooldownScope.KeyModel, "2026-03-10T15:39:38.016Z", 100000L)]
    [InlineData(2, FailureClass.CallerFault, CooldownScope.None, null, 6000L)]
    [InlineData(3, FailureClass.RateLimited, CooldownScope.KeyModel, "2026-03-10T15:30:50.5971428Z", 7000L)]
    public void Classify_GroqSample_MatchesRecordedMeaning(
        int index, FailureClass expectedClass, CooldownScope scope, string? retryAt, long? limit)
    {
        var result = ClassifySample("groq", Groq, GroqSamples, index, FixtureSamples.OpenAIEnvelope);

        AssertSample(result, expectedClass, scope, retryAt, limit);
    }

    [Theory]
    [InlineData(0, FailureClass.QuotaExhausted, CooldownScope.Key, null, null)]
    [InlineData(1, FailureClass.QuotaExhausted, CooldownScope.Key, null, null)]
    [InlineData(2, FailureClass.RateLimited, CooldownScope.Key, "2026-03-10T15:30:20Z", 3L)]
    [InlineData(3, FailureClass.RateLimited, CooldownScope.Key, "2026-03-10T15:30:18.642Z", 30000L)]
    public void Classify_OpenAISample_MatchesRecordedMeaning(
        int index, FailureClass expectedClass, CooldownScope scope, string? retryAt, long? limit)
    {
        var result = ClassifySample("openai", OpenAI, OpenAISamples, index, FixtureSamples.OpenAIEnvelope);

        AssertSample(result, expectedClass, scope, retryAt, limit);
    }

    [Fact]
    public void Classify_GroqRequestTooLarge_MayMoveToAStepWithMoreHeadroom()
    {
        var result = ClassifySample("groq", Groq, GroqSamples, 2, FixtureSamples.OpenAIEnvelope);

        Assert.True(result.ContextLengthExceeded);
        Assert.StartsWith("groq: request larger than the tokens-per-minute limit", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_GroqTpm_ReasonNamesTheDimension()
    {
        var result = ClassifySample("groq", Groq, GroqSamples, 0, FixtureSamples.OpenAIEnvelope);

        Assert.StartsWith("groq: tokens per minute (TPM) limit - Rate limit reached for model", result.Reason, StringComparison.Ordinal);
        Assert.True(result.Reason.Length <= 200);
    }

    [Fact]
    public void Classify_EverySampleOfGroqAndOpenAI_HasAnExpectation()
    {
        Assert.Equal(4, FixtureSamples.Count(GroqSamples));
        Assert.Equal(4, FixtureSamples.Count(OpenAISamples));
    }

    [Fact]
    public void Classify_RetryAfterHeader_WinsOverTheMessage()
    {
        var result = Classify("groq", Groq, 429, TpmBody("Please try again in 1.5s."), ("retry-after", "2"));

        Assert.Equal(Now.AddSeconds(2), result.RetryAt);
    }

    [Fact]
    public void Classify_OpenAITokensWithoutWaitText_UsesTheTokenResetHeader()
    {
        var body = """{"error":{"message":"Rate limit reached","type":"tokens","param":null,"code":"rate_limit_exceeded"}}""";

        var result = Classify("openai", OpenAI, 429, body,
            ("x-ratelimit-remaining-tokens", "0"), ("x-ratelimit-reset-tokens", "6m0s"), ("x-ratelimit-reset-requests", "1s"));

        Assert.Equal(FailureClass.RateLimited, result.Class);
        Assert.Equal(Now.AddMinutes(6), result.RetryAt);
    }

    [Fact]
    public void Classify_UnknownDimension_WaitsForEverySpentMinuteBudget()
    {
        var body = """{"error":{"message":"Too many requests","type":null,"code":"rate_limit_exceeded"}}""";

        var result = Classify("openai", OpenAI, 429, body,
            ("x-ratelimit-remaining-tokens", "0"), ("x-ratelimit-reset-tokens", "5s"),
            ("x-ratelimit-remaining-requests", "0"), ("x-ratelimit-reset-requests", "12s"));

        Assert.Equal(Now.AddSeconds(12), result.RetryAt);
    }

    [Fact]
    public void Classify_RateLimitStatingNothing_WaitsSixtySeconds()
    {
        var result = Classify("openai", OpenAI, 429, """{"error":{"message":"slow down","type":"requests","code":"rate_limit_exceeded"}}""");

        Assert.Equal(FailureClass.RateLimited, result.Class);
        Assert.Equal(CooldownScope.Key, result.Scope);
        Assert.Equal(Now.AddSeconds(60), result.RetryAt);
    }

    [Fact]
    public void Classify_GroqRequestsPerDayInHeadersOnly_IsQuotaUntilTheRequestReset()
    {
        var body = """{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}""";

        var result = Classify("groq", Groq, 429, body,
            ("x-ratelimit-limit-requests", "1000"), ("x-ratelimit-remaining-requests", "0"), ("x-ratelimit-reset-requests", "2h10m"));

        Assert.Equal(FailureClass.QuotaExhausted, result.Class);
        Assert.Equal(CooldownScope.KeyModel, result.Scope);
        Assert.Equal(Now.AddMinutes(130), result.RetryAt);
        Assert.Equal(1000, result.LearnedLimit);
    }

    [Fact]
    public void Classify_GroqRequestsPerDayWithoutWait_FallsBackToTheRequestResetHeader()
    {
        var body = TpmBody(null).Replace("tokens per minute (TPM)", "requests per day (RPD)", StringComparison.Ordinal);

        var result = Classify("groq", Groq, 429, body, ("x-ratelimit-reset-requests", "3h"));

        Assert.Equal(FailureClass.QuotaExhausted, result.Class);
        Assert.Equal(Now.AddHours(3), result.RetryAt);
    }

    [Fact]
    public void Classify_TokensPerDayStatingNoReset_WaitsForTheProvidersDailyReset()
    {
        var body = TpmBody(null).Replace("tokens per minute (TPM)", "tokens per day (TPD)", StringComparison.Ordinal);

        var result = Classify("groq", Groq, 429, body);

        Assert.Equal(FailureClass.QuotaExhausted, result.Class);
        Assert.Equal(NextUtcMidnight, result.RetryAt);
        Assert.Equal(12000, result.LearnedLimit);
    }

    [Fact]
    public void Classify_PerModelQuotaFlagOff_CoolsTheWholeKey()
    {
        var result = Classify("groq", Groq with { QuotaPerModel = false }, 429, TpmBody("Please try again in 3s."));

        Assert.Equal(CooldownScope.Key, result.Scope);
    }

    [Fact]
    public void Classify_InsufficientQuotaWithRetryHeaders_StaysBillingWithoutRetryTime()
    {
        var body = """{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}""";

        var result = Classify("openai", OpenAI, 429, body, ("retry-after", "20"));

        Assert.Equal(FailureClass.QuotaExhausted, result.Class);
        Assert.Null(result.RetryAt);
        Assert.StartsWith("openai: insufficient quota (billing)", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_OpenAIErrorInsideA200Stream_UsesTheErrorCode()
    {
        var body = """{"error":{"message":"Rate limit reached. Please try again in 3s.","type":"tokens","param":null,"code":"rate_limit_exceeded"}}""";

        var result = Classify("openai", OpenAI, 200, body);

        Assert.Equal(FailureClass.RateLimited, result.Class);
        Assert.Equal(Now.AddSeconds(3), result.RetryAt);
    }

    private static string TpmBody(string? wait) =>
        "{\"error\":{\"message\":\"Rate limit reached for model `llama-3.3-70b-versatile` in organization `org_x` service tier "
        + "`on_demand` on tokens per minute (TPM): Limit 12000, Used 2542, Requested 9855." + (wait is null ? string.Empty : " " + wait)
        + "\",\"type\":\"tokens\",\"code\":\"rate_limit_exceeded\"}}";
}
