using Spillway.Core.Failures;

namespace Spillway.Core.Tests.Failures.Classification;

public partial class UpstreamFailureClassifierTests
{
    private const string MistralSamples = "mistral-429-samples.json";
    private const string AnthropicSamples = "anthropic-error-samples.json";

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Classify_MistralSample_IsRateLimitedForAMinute(int index)
    {
        var result = ClassifySample("mistral", Mistral, MistralSamples, index, FixtureSamples.OpenAIEnvelope);

        AssertSample(result, FailureClass.RateLimited, CooldownScope.Key, "2026-03-10T15:31:00Z", null);
    }

    [Theory]
    [InlineData(0, FailureClass.RateLimited, CooldownScope.Key, "2026-03-10T15:31:00Z", 40000L)]
    [InlineData(1, FailureClass.Overloaded, CooldownScope.None, null, null)]
    [InlineData(2, FailureClass.Overloaded, CooldownScope.None, null, null)]
    public void Classify_AnthropicSample_MatchesRecordedMeaning(
        int index, FailureClass expectedClass, CooldownScope scope, string? retryAt, long? limit)
    {
        var result = ClassifySample("anthropic", Anthropic, AnthropicSamples, index, FixtureSamples.OpenAIEnvelope);

        AssertSample(result, expectedClass, scope, retryAt, limit);
    }

    [Fact]
    public void Classify_EverySampleOfMistralAndAnthropic_HasAnExpectation()
    {
        Assert.Equal(3, FixtureSamples.Count(MistralSamples));
        Assert.Equal(3, FixtureSamples.Count(AnthropicSamples));
    }

    [Fact]
    public void Classify_MistralMonthlyTokensSpent_IsQuotaWithoutRetryTime()
    {
        var result = Classify("mistral", Mistral, 429, """{"message":"Requests rate limit exceeded"}""",
            ("x-ratelimit-limit-tokens-month", "1000000000"), ("x-ratelimit-remaining-tokens-month", "0"));

        Assert.Equal(FailureClass.QuotaExhausted, result.Class);
        Assert.Null(result.RetryAt);
        Assert.Equal(1_000_000_000, result.LearnedLimit);
    }

    [Fact]
    public void Classify_MistralTenSecondRequestWindowSpent_WaitsTenSeconds()
    {
        var result = Classify("mistral", Mistral, 429, """{"message":"Requests rate limit exceeded"}""",
            ("x-ratelimit-limit-req-10-second", "10"), ("x-ratelimit-remaining-req-10-second", "0"));

        Assert.Equal(Now.AddSeconds(10), result.RetryAt);
        Assert.Equal("mistral: request rate limit - Requests rate limit exceeded", result.Reason);
    }

    [Fact]
    public void Classify_MistralRetryAfter_WinsOverWindows()
    {
        var result = Classify("mistral", Mistral, 429, """{"object":"error","message":"Rate limit exceeded","type":"rate_limited","code":"1300"}""",
            ("retry-after", "1"), ("x-ratelimit-remaining-tokens-minute", "0"));

        Assert.Equal(Now.AddSeconds(1), result.RetryAt);
    }

    [Fact]
    public void Classify_AnthropicRetryAfter_IsTheRetryTime()
    {
        var result = ClassifyAnthropic(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit",
            ("retry-after", "7"));

        Assert.Equal(FailureClass.RateLimited, result.Class);
        Assert.Equal(Now.AddSeconds(7), result.RetryAt);
    }

    [Fact]
    public void Classify_AnthropicSpentBudgets_WaitForTheLatestReset()
    {
        var result = ClassifyAnthropic(429, "rate_limit_error", "rate limited",
            ("anthropic-ratelimit-input-tokens-remaining", "0"), ("anthropic-ratelimit-input-tokens-reset", "2026-03-10T15:30:40Z"),
            ("anthropic-ratelimit-requests-remaining", "0"), ("anthropic-ratelimit-requests-reset", "2026-03-10T15:30:20Z"),
            ("anthropic-ratelimit-tokens-remaining", "5000"), ("anthropic-ratelimit-tokens-reset", "2026-03-10T15:31:30Z"));

        Assert.Equal(Now.AddSeconds(40), result.RetryAt);
    }

    [Fact]
    public void Classify_AnthropicBillingError_IsQuotaOnTheWholeKey()
    {
        var result = ClassifyAnthropic(402, "billing_error", "Your account has an outstanding balance.");

        Assert.Equal(FailureClass.QuotaExhausted, result.Class);
        Assert.Equal(CooldownScope.Key, result.Scope);
        Assert.Null(result.RetryAt);
    }

    [Fact]
    public void Classify_AnthropicLowCreditBalance_IsQuotaNotCallerFault()
    {
        var result = ClassifyAnthropic(400, "invalid_request_error",
            "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.");

        Assert.Equal(FailureClass.QuotaExhausted, result.Class);
        Assert.Null(result.RetryAt);
    }

    [Fact]
    public void Classify_AnthropicUsageLimitWithRegainDate_ComesBackThen()
    {
        var result = ClassifyAnthropic(400, "invalid_request_error",
            "You have reached your specified API usage limits. You will regain access on 2026-04-01 at 00:00 UTC.");

        Assert.Equal(FailureClass.QuotaExhausted, result.Class);
        Assert.Equal(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero), result.RetryAt);
    }

    [Fact]
    public void Classify_AnthropicPromptTooLong_IsContextLength()
    {
        var result = ClassifyAnthropic(400, "invalid_request_error", "prompt is too long: 208310 tokens > 200000 maximum");

        Assert.Equal(FailureClass.CallerFault, result.Class);
        Assert.True(result.ContextLengthExceeded);
    }

    [Theory]
    [InlineData(401, "authentication_error", FailureClass.AuthFailed)]
    [InlineData(403, "permission_error", FailureClass.AuthFailed)]
    [InlineData(404, "not_found_error", FailureClass.ModelUnavailable)]
    [InlineData(413, "request_too_large", FailureClass.CallerFault)]
    [InlineData(500, "api_error", FailureClass.ServerError)]
    [InlineData(504, "timeout_error", FailureClass.ServerError)]
    [InlineData(200, "api_error", FailureClass.ServerError)]
    [InlineData(200, "rate_limit_error", FailureClass.RateLimited)]
    public void Classify_AnthropicErrorType_MapsToItsClass(int status, string type, FailureClass expected)
    {
        Assert.Equal(expected, ClassifyAnthropic(status, type, "message").Class);
    }

    private static FailureClassification ClassifyAnthropic(int status, string type, string message, params (string, string)[] headers) =>
        Classify("anthropic", Anthropic, status,
            "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message + "\"},\"request_id\":\"req_1\"}", headers);
}
