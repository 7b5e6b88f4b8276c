using Spillway.Core.Failures;
using Spillway.Core.Providers.RateLimits;

namespace Spillway.Core.Tests.Failures.Classification;

public partial class UpstreamFailureClassifierTests
{
    private const string OpenRouterSamples = "openrouter-error-samples.json";

    [Theory]
    [InlineData(0, FailureClass.QuotaExhausted, CooldownScope.Key, "2026-03-11T00:00:00Z", 50L)]
    [InlineData(1, FailureClass.QuotaExhausted, CooldownScope.Key, "2026-03-11T00:00:00Z", null)]
    [InlineData(2, FailureClass.QuotaExhausted, CooldownScope.Key, null, null)]
    [InlineData(3, FailureClass.RateLimited, CooldownScope.Key, "2026-03-10T15:31:00Z", null)]
    [InlineData(4, FailureClass.RateLimited, CooldownScope.KeyModel, "2026-03-10T15:31:00Z", null)]
    [InlineData(5, FailureClass.RateLimited, CooldownScope.Key, "2026-03-10T15:31:00Z", null)]
    public void Classify_OpenRouterSample_MatchesRecordedMeaning(
        int index, FailureClass expectedClass, CooldownScope scope, string? retryAt, long? limit)
    {
        var result = ClassifySample("openrouter", OpenRouter, OpenRouterSamples, index, FixtureSamples.OpenAIEnvelope);

        AssertSample(result, expectedClass, scope, retryAt, limit);
    }

    [Fact]
    public void Classify_EverySampleOfOpenRouter_HasAnExpectationOrIsNoError()
    {
        // The last sample is the ": OPENROUTER PROCESSING" keep-alive comment, which is not an error at all.
        Assert.Equal(7, FixtureSamples.Count(OpenRouterSamples));
    }

    [Fact]
    public void Classify_FreeModelsPerDayWithLaterStatedReset_UsesTheStatedReset()
    {
        var result = Classify("openrouter", OpenRouter, 429, FreePerDayBody("1773194400000")); // 2026-03-11T02:00Z

        Assert.Equal(new DateTimeOffset(2026, 3, 11, 2, 0, 0, TimeSpan.Zero), result.RetryAt);
    }

    [Fact]
    public void Classify_FreeModelsPerDayWithEarlierStatedReset_KeepsUtcMidnight()
    {
        var result = Classify("openrouter", OpenRouter, 429, FreePerDayBody("1773160200")); // 2026-03-10T16:30Z, seconds

        Assert.Equal(NextUtcMidnight, result.RetryAt);
    }

    [Fact]
    public void Classify_FreeModelsPerDayUnderAnotherScheme_IsStillRecognised()
    {
        var result = Classify("router", RateLimitRules.Default, 429, FreePerDayBody("(cut)"));

        Assert.Equal(FailureClass.QuotaExhausted, result.Class);
        Assert.Equal(NextUtcMidnight, result.RetryAt);
    }

    [Fact]
    public void Classify_FreeModelsPerMinute_IsRateLimitedUntilTheStatedReset()
    {
        var body = """
            {"error":{"code":429,"message":"Rate limit exceeded: free-models-per-min. ","metadata":{"headers":
              {"X-RateLimit-Limit":"20","X-RateLimit-Remaining":"0","X-RateLimit-Reset":"1773156645000"}}}}
            """;

        var result = Classify("openrouter", OpenRouter, 429, body);

        Assert.Equal(FailureClass.RateLimited, result.Class);
        Assert.Equal(CooldownScope.Key, result.Scope);
        Assert.Equal(new DateTimeOffset(2026, 3, 10, 15, 30, 45, TimeSpan.Zero), result.RetryAt);
        Assert.Equal(20, result.LearnedLimit);
    }

    [Fact]
    public void Classify_PlatformRateLimitWithRealHeaders_UsesTheHeaders()
    {
        var body = """{"error":{"code":429,"message":"Rate limit exceeded","metadata":{"error_type":"rate_limit_exceeded"}}}""";

        var result = Classify("openrouter", OpenRouter, 429, body, ("X-RateLimit-Limit", "20"), ("X-RateLimit-Reset", "1773156630000"));

        Assert.Equal(Now.AddSeconds(30), result.RetryAt);
    }

    [Theory]
    [InlineData(503, FailureClass.Overloaded)]
    [InlineData(529, FailureClass.Overloaded)]
    [InlineData(502, FailureClass.ServerError)]
    [InlineData(408, FailureClass.Timeout)]
    [InlineData(524, FailureClass.Timeout)]
    [InlineData(401, FailureClass.AuthFailed)]
    [InlineData(404, FailureClass.ModelUnavailable)]
    public void Classify_OpenRouterStatus_MapsToItsClass(int status, FailureClass expected)
    {
        var body = "{\"error\":{\"code\":" + status + ",\"message\":\"something\"}}";

        Assert.Equal(expected, Classify("openrouter", OpenRouter, status, body).Class);
    }

    [Fact]
    public void Classify_OpenRouterModeration403_IsContentRefused()
    {
        var body = """
            {"error":{"code":403,"message":"meta-llama/llama-guard requires moderation on OpenRouter. Your input was flagged for \"violence\"",
              "metadata":{"reasons":["violence"],"flagged_input":"...","provider_name":"OpenAI","model_slug":"openai/gpt-4o"}}}
            """;

        var result = Classify("openrouter", OpenRouter, 403, body);

        Assert.Equal(FailureClass.ContentRefused, result.Class);
        Assert.Equal(CooldownScope.None, result.Scope);
    }

    [Fact]
    public void Classify_OpenRouterContextLengthErrorType_IsCallerFaultThatMayMoveOn()
    {
        var body = """{"error":{"code":400,"message":"Prompt exceeds the model limit","metadata":{"error_type":"context_length_exceeded"}}}""";

        var result = Classify("openrouter", OpenRouter, 400, body);

        Assert.Equal(FailureClass.CallerFault, result.Class);
        Assert.True(result.ContextLengthExceeded);
    }

    private static string FreePerDayBody(string reset) =>
        "{\"error\":{\"message\":\"Rate limit exceeded: free-models-per-day. Add 10 credits to unlock 1000 free model requests per day\","
        + "\"code\":429,\"metadata\":{\"headers\":{\"X-RateLimit-Limit\":\"50\",\"X-RateLimit-Remaining\":\"0\",\"X-RateLimit-Reset\":\""
        + reset + "\"}}}}";
}
