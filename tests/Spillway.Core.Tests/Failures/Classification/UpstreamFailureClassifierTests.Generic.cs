using Spillway.Core.Failures;
using Spillway.Core.Failures.Classification;
using Spillway.Core.Providers.RateLimits;

namespace Spillway.Core.Tests.Failures.Classification;

public partial class UpstreamFailureClassifierTests
{
    [Theory]
    [InlineData(400, FailureClass.CallerFault, CooldownScope.None)]
    [InlineData(401, FailureClass.AuthFailed, CooldownScope.Key)]
    [InlineData(402, FailureClass.QuotaExhausted, CooldownScope.Key)]
    [InlineData(403, FailureClass.AuthFailed, CooldownScope.Key)]
    [InlineData(404, FailureClass.ModelUnavailable, CooldownScope.None)]
    [InlineData(405, FailureClass.CallerFault, CooldownScope.None)]
    [InlineData(408, FailureClass.Timeout, CooldownScope.None)]
    [InlineData(409, FailureClass.ServerError, CooldownScope.None)]
    [InlineData(413, FailureClass.CallerFault, CooldownScope.None)]
    [InlineData(422, FailureClass.CallerFault, CooldownScope.None)]
    [InlineData(429, FailureClass.RateLimited, CooldownScope.Key)]
    [InlineData(500, FailureClass.ServerError, CooldownScope.None)]
    [InlineData(501, FailureClass.ServerError, CooldownScope.None)]
    [InlineData(502, FailureClass.ServerError, CooldownScope.None)]
    [InlineData(503, FailureClass.Overloaded, CooldownScope.None)]
    [InlineData(504, FailureClass.ServerError, CooldownScope.None)]
    [InlineData(520, FailureClass.ServerError, CooldownScope.None)]
    [InlineData(524, FailureClass.Timeout, CooldownScope.None)]
    [InlineData(529, FailureClass.Overloaded, CooldownScope.None)]
    [InlineData(200, FailureClass.ServerError, CooldownScope.None)]
    [InlineData(302, FailureClass.ServerError, CooldownScope.None)]
    public void Classify_StatusWithEmptyBody_FollowsTheStatusTable(int status, FailureClass expected, CooldownScope scope)
    {
        foreach (var rules in new[] { RateLimitRules.Default, OpenAI, Groq, Gemini, OpenRouter, Mistral, Anthropic })
        {
            if (rules.Scheme == RateLimitScheme.OpenRouter && status is 502 or 524 or 529 or 503 or 408)
            {
                continue; // same classes, covered by the OpenRouter cases
            }

            var result = Classify("p", rules, status, string.Empty);

            Assert.Equal(expected, result.Class);
            Assert.Equal(rules.QuotaPerModel && status == 429 ? CooldownScope.KeyModel : scope, result.Scope);
        }
    }

    [Fact]
    public void Classify_Plain429WithoutBody_WaitsSixtySecondsOrTheStatedTime()
    {
        Assert.Equal(Now.AddSeconds(60), Classify("p", RateLimitRules.Default, 429, string.Empty).RetryAt);
        Assert.Equal(Now.AddMilliseconds(1500), Classify("p", RateLimitRules.Default, 429, string.Empty, ("retry-after-ms", "1500")).RetryAt);
    }

    [Fact]
    public void Classify_HtmlFromAProxy_ClassifiesByStatusAndKeepsHtmlOutOfTheReason()
    {
        var result = Classify("groq", Groq, 502, "<html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>");

        Assert.Equal(FailureClass.ServerError, result.Class);
        Assert.Equal("groq: server error (502)", result.Reason);
    }

    [Fact]
    public void Classify_PlainTextBody_IsQuotedInTheReason()
    {
        var result = Classify("local", RateLimitRules.Default, 503, "upstream connect error or disconnect/reset before headers");

        Assert.Equal(FailureClass.Overloaded, result.Class);
        Assert.Equal("local: service unavailable (503) - upstream connect error or disconnect/reset before headers", result.Reason);
    }

    [Fact]
    public void Classify_TruncatedJson_StillClassifiesByStatus()
    {
        var result = Classify("openai", OpenAI, 429, """{"error":{"message":"Rate limit reached for gpt-4o on tokens per min (TPM)""");

        Assert.Equal(FailureClass.RateLimited, result.Class);
        Assert.Equal(Now.AddSeconds(60), result.RetryAt);
    }

    [Theory]
    [InlineData("""{"error":{"message":"This model's maximum context length is 128000 tokens.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}""")]
    [InlineData("""{"error":{"message":"Please reduce the length of the messages: the maximum context length is 8192 tokens","type":"invalid_request_error"}}""")]
    [InlineData("""{"object":"error","message":"Prompt contains 40000 tokens, too many tokens for model with 32768 maximum context length","type":"invalid_request_message_error"}""")]
    [InlineData("""{"error":{"message":"Input exceeds the context window of this model","code":400}}""")]
    public void Classify_ContextLengthErrors_AreCallerFaultsThatMayMoveOn(string body)
    {
        var result = Classify("p", OpenAI, 400, body);

        Assert.Equal(FailureClass.CallerFault, result.Class);
        Assert.True(result.ContextLengthExceeded);
        Assert.StartsWith("p: context length exceeded - ", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_OrdinaryBadRequest_IsCallerFaultThatStays()
    {
        var result = Classify("openai", OpenAI, 400,
            """{"error":{"message":"Invalid value for 'temperature'.","type":"invalid_request_error","param":"temperature","code":null}}""");

        Assert.Equal(FailureClass.CallerFault, result.Class);
        Assert.False(result.ContextLengthExceeded);
        Assert.Equal("openai: invalid request (400) - Invalid value for 'temperature'.", result.Reason);
    }

    [Theory]
    [InlineData(400, """{"error":{"message":"Your request was rejected as a result of our safety system.","type":"invalid_request_error","code":"content_policy_violation"}}""")]
    [InlineData(400, """{"error":{"message":"The response was filtered due to the prompt triggering content management policy.","code":"content_filter"}}""")]
    [InlineData(403, """{"error":{"message":"This prompt violates our content policy."}}""")]
    [InlineData(422, """{"error":{"message":"refused","metadata":{"error_type":"content_policy_violation"}}}""")]
    public void Classify_ContentPolicyRefusal_IsContentRefused(int status, string body)
    {
        var result = Classify("p", OpenAI, status, body);

        Assert.Equal(FailureClass.ContentRefused, result.Class);
        Assert.Equal(CooldownScope.None, result.Scope);
    }

    [Fact]
    public void Classify_KeyEchoedInTheMessage_IsScrubbedFromTheReason()
    {
        var result = Classify("openai", OpenAI, 401,
            """{"error":{"message":"Incorrect API key provided: sk-proj-abcdefghijklmnop1234567890. You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","code":"invalid_api_key"}}""");

        Assert.Equal(FailureClass.AuthFailed, result.Class);
        Assert.DoesNotContain("sk-proj", result.Reason, StringComparison.Ordinal);
        Assert.Contains(FailureReason.Redacted, result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_StatusInsideA200StreamChunk_UsesTheBodyCode()
    {
        var result = Classify("openrouter", OpenRouter, 200,
            """{"id":"gen-1","object":"chat.completion.chunk","error":{"code":502,"message":"Provider returned error"},"choices":[]}""");

        Assert.Equal(FailureClass.ServerError, result.Class);
    }

    [Fact]
    public void Classify_FailingHttpStatus_WinsOverTheBodyCode()
    {
        var result = Classify("openrouter", OpenRouter, 503, """{"error":{"code":429,"message":"Rate limit exceeded"}}""");

        Assert.Equal(FailureClass.Overloaded, result.Class);
    }

    [Fact]
    public void Classify_EmptyProviderId_Throws()
    {
        Assert.Throws<ArgumentException>(() =>
            UpstreamFailureClassifier.Classify(string.Empty, OpenAI, 429, UpstreamHeaders.Empty, [], Now));
    }
}
