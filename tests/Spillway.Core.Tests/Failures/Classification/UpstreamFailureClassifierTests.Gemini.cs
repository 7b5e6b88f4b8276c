using Spillway.Core.Failures;
using Spillway.Core.Providers.RateLimits;

namespace Spillway.Core.Tests.Failures.Classification;

public partial class UpstreamFailureClassifierTests
{
    private const string GeminiSamples = "gemini-429-resource-exhausted-samples.json";

    [Theory]
    [InlineData(0, FailureClass.RateLimited, CooldownScope.KeyModel, "2026-03-10T15:30:26Z", 250000L)]
    [InlineData(1, FailureClass.QuotaExhausted, CooldownScope.KeyModel, "2026-03-11T07:00:00Z", null)]
    [InlineData(2, FailureClass.RateLimited, CooldownScope.KeyModel, "2026-03-10T15:30:47.4343924Z", 4000000L)]
    [InlineData(3, FailureClass.QuotaExhausted, CooldownScope.KeyModel, "2026-03-11T07:00:00Z", 0L)]
    [InlineData(4, FailureClass.QuotaExhausted, CooldownScope.KeyModel, "2026-03-11T07:00:00Z", null)]
    [InlineData(5, FailureClass.RateLimited, CooldownScope.KeyModel, "2026-03-10T15:30:10Z", null)]
    [InlineData(6, FailureClass.RateLimited, CooldownScope.KeyModel, "2026-03-10T15:30:10Z", null)]
    public void Classify_GeminiSample_MatchesRecordedMeaning(
        int index, FailureClass expectedClass, CooldownScope scope, string? retryAt, long? limit)
    {
        var result = ClassifySample("gemini", Gemini, GeminiSamples, index, FixtureSamples.GeminiEnvelope);

        AssertSample(result, expectedClass, scope, retryAt, limit);
    }

    [Fact]
    public void Classify_EverySampleOfGemini_HasAnExpectation()
    {
        Assert.Equal(7, FixtureSamples.Count(GeminiSamples));
    }

    [Fact]
    public void Classify_GeminiArrayFormUnderOpenAIScheme_IsReadAsGoogleStatus()
    {
        // Gemini's OpenAI-compatible endpoint configured as a plain OpenAI-format provider.
        var result = ClassifySample("gemini-openai", OpenAI, GeminiSamples, 6, FixtureSamples.GeminiEnvelope);

        Assert.Equal(FailureClass.RateLimited, result.Class);
        Assert.Equal(CooldownScope.Key, result.Scope);
        Assert.Equal(Now.AddSeconds(10), result.RetryAt);
        Assert.StartsWith("gemini-openai: rate limited (RESOURCE_EXHAUSTED) - Resource has been exhausted", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_GeminiDailyQuotaUnderUtcRules_StillResetsAtPacificMidnight()
    {
        var result = ClassifySample("gemini", Gemini with { DailyReset = DailyResetRule.UtcMidnight }, GeminiSamples, 1,
            FixtureSamples.GeminiEnvelope);

        Assert.Equal(NextPacificMidnight, result.RetryAt);
        Assert.Contains("GenerateRequestsPerDayPerProjectPerModel-FreeTier", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_GeminiPerMinuteQuotaStatingNoWait_WaitsSixtySeconds()
    {
        var body = """
            {"error":{"code":429,"message":"You exceeded your current quota.","status":"RESOURCE_EXHAUSTED","details":[
              {"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[
                {"quotaMetric":"m","quotaId":"GenerateRequestsPerMinutePerProjectPerModel-FreeTier"}]}]}}
            """;

        var result = Classify("gemini", Gemini, 429, body);

        Assert.Equal(FailureClass.RateLimited, result.Class);
        Assert.Equal(Now.AddSeconds(60), result.RetryAt);
    }

    [Fact]
    public void Classify_GeminiBare429WithRetryAfter_UsesTheHeader()
    {
        var result = Classify("gemini", Gemini, 429,
            """{"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}""",
            ("retry-after", "4"));

        Assert.Equal(Now.AddSeconds(4), result.RetryAt);
    }

    [Fact]
    public void Classify_GeminiUnavailable_IsOverloaded()
    {
        var result = Classify("gemini", Gemini, 503,
            """{"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}""");

        Assert.Equal(FailureClass.Overloaded, result.Class);
        Assert.Equal(CooldownScope.None, result.Scope);
        Assert.Null(result.RetryAt);
    }

    [Fact]
    public void Classify_GeminiInvalidKey_IsAuthFailedDespiteStatus400()
    {
        var body = """
            {"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT","details":[
              {"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com"}]}}
            """;

        var result = Classify("gemini", Gemini, 400, body);

        Assert.Equal(FailureClass.AuthFailed, result.Class);
        Assert.Equal(CooldownScope.Key, result.Scope);
    }

    [Fact]
    public void Classify_GeminiTooManyInputTokens_IsContextLength()
    {
        var body = """{"error":{"code":400,"message":"The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).","status":"INVALID_ARGUMENT"}}""";

        var result = Classify("gemini", Gemini, 400, body);

        Assert.Equal(FailureClass.CallerFault, result.Class);
        Assert.True(result.ContextLengthExceeded);
    }

    [Fact]
    public void Classify_GeminiUnsupportedLocation_IsAuthFailedSoTheChainMovesOn()
    {
        var result = Classify("gemini", Gemini, 400,
            """{"error":{"code":400,"message":"User location is not supported for the API use.","status":"FAILED_PRECONDITION"}}""");

        Assert.Equal(FailureClass.AuthFailed, result.Class);
        Assert.Equal(CooldownScope.Key, result.Scope);
    }

    [Fact]
    public void Classify_GeminiModelNotFound_IsModelUnavailable()
    {
        var result = Classify("gemini", Gemini, 404,
            """{"error":{"code":404,"message":"models/gemini-9 is not found for API version v1beta","status":"NOT_FOUND"}}""");

        Assert.Equal(FailureClass.ModelUnavailable, result.Class);
    }

    [Fact]
    public void Classify_GeminiPromptBlockedBySafety_IsContentRefused()
    {
        var body = """{"promptFeedback":{"blockReason":"SAFETY","safetyRatings":[]},"usageMetadata":{"promptTokenCount":9}}""";

        var result = Classify("gemini", Gemini, 200, body);

        Assert.Equal(FailureClass.ContentRefused, result.Class);
        Assert.Equal("gemini: prompt blocked (SAFETY)", result.Reason);
    }

    [Fact]
    public void Classify_GeminiStatusInsideA200Stream_UsesTheBodyStatus()
    {
        var result = Classify("gemini", Gemini, 200,
            """{"error":{"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}""");

        Assert.Equal(FailureClass.RateLimited, result.Class);
    }
}
