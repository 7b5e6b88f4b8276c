using System.Text;
using Spillway.Core.Failures.Classification;

namespace Spillway.Core.Tests.Failures.Classification;

public class UpstreamErrorBodyTests
{
    private static UpstreamErrorBody Parse(string text) => UpstreamErrorBody.Parse(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Parse_OpenAIEnvelope_ReadsMessageTypeAndCode()
    {
        var body = Parse("""{"error":{"message":"m","type":"tokens","param":null,"code":"rate_limit_exceeded"}}""");

        Assert.True(body.IsJson);
        Assert.Equal("m", body.Message);
        Assert.Equal("tokens", body.Type);
        Assert.Equal("rate_limit_exceeded", body.Code);
        Assert.Null(body.CodeNumber);
        Assert.False(body.IsGoogleStatus);
    }

    [Fact]
    public void Parse_GoogleStatusArray_ReadsTheFirstElement()
    {
        var body = Parse("""[{"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}]""");

        Assert.Equal(429, body.CodeNumber);
        Assert.Equal("RESOURCE_EXHAUSTED", body.Status);
        Assert.True(body.IsGoogleStatus);
    }

    [Fact]
    public void Parse_GoogleDetails_ReadsViolationsRetryDelayAndReason()
    {
        var body = Parse("""
            {"error":{"code":429,"status":"RESOURCE_EXHAUSTED","details":[
              {"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[
                {"quotaId":"A-PerDay","quotaValue":"250"},{"quotaId":"B-PerMinute","quotaValue":12},{"quotaMetric":"no id"}]},
              {"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"RATE_LIMIT_EXCEEDED"},
              {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"26s"}]}}
            """);

        Assert.Equal([new QuotaViolation("A-PerDay", 250), new QuotaViolation("B-PerMinute", 12)], body.Violations);
        Assert.Equal("26s", body.RetryDelay);
        Assert.Equal("RATE_LIMIT_EXCEEDED", body.ErrorInfoReason);
    }

    [Fact]
    public void Parse_OpenRouterMetadata_ReadsTypeProviderCodeRawAndHeaders()
    {
        var body = Parse("""
            {"error":{"code":"429","message":"m","metadata":{"error_type":"rate_limit_exceeded","provider_code":429,
              "raw":{"error":"upstream said no"},"headers":{"X-RateLimit-Limit":"50","X-RateLimit-Reset":1735689600000}}},"user_id":"u"}
            """);

        Assert.Equal(429, body.CodeNumber);
        Assert.Equal("rate_limit_exceeded", body.ErrorType);
        Assert.Equal("429", body.ProviderCode);
        Assert.Equal("""{"error":"upstream said no"}""", body.Raw);
        Assert.Equal("50", body.MetadataHeaders!["x-ratelimit-limit"]);
        Assert.Equal("1735689600000", body.MetadataHeaders["X-RateLimit-Reset"]);
        Assert.False(body.Flagged);
    }

    [Fact]
    public void Parse_MistralFlatShapes_ReadTopLevelFields()
    {
        var bare = Parse("""{"message":"Requests rate limit exceeded"}""");
        var typed = Parse("""{"object":"error","message":"Rate limit exceeded","type":"rate_limited","param":null,"code":"1300"}""");

        Assert.Equal("Requests rate limit exceeded", bare.Message);
        Assert.Equal("rate_limited", typed.Type);
        Assert.Equal("1300", typed.Code);
        Assert.Equal(1300, typed.CodeNumber);
    }

    [Fact]
    public void Parse_AnthropicEnvelope_IsRecognisedAndKeepsTheInnerType()
    {
        var body = Parse("""{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_1"}""");

        Assert.True(body.IsAnthropicEnvelope);
        Assert.Equal("overloaded_error", body.Type);
        Assert.Equal("Overloaded", body.Message);
    }

    [Fact]
    public void Parse_ErrorAsString_IsTheMessage()
    {
        Assert.Equal("model not found", Parse("""{"error":"model not found"}""").Message);
        Assert.Equal("Not Found", Parse("""{"detail":"Not Found"}""").Message);
    }

    [Fact]
    public void Parse_ByteOrderMarkAndWhitespace_AreSkipped()
    {
        var body = UpstreamErrorBody.Parse([0xEF, 0xBB, 0xBF, .. "\r\n {\"error\":{\"message\":\"m\"}}"u8]);

        Assert.Equal("m", body.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("<html><body>502 Bad Gateway</body></html>")]
    public void Parse_EmptyOrHtml_HasNoText(string text)
    {
        var body = Parse(text);

        Assert.False(body.IsJson);
        Assert.Null(body.Text);
        Assert.Null(body.Message);
    }

    [Fact]
    public void Parse_BrokenJson_IsKeptAsText()
    {
        var body = Parse("""{"error":{"message":"cut""");

        Assert.False(body.IsJson);
        Assert.Equal("""{"error":{"message":"cut""", body.Text);
    }

    [Theory]
    [InlineData("42")]
    [InlineData("\"text\"")]
    [InlineData("[1,2]")]
    [InlineData("[]")]
    public void Parse_JsonWithoutAnObject_HasNothing(string text)
    {
        var body = Parse(text);

        Assert.False(body.IsJson);
        Assert.Null(body.Message);
    }
}
