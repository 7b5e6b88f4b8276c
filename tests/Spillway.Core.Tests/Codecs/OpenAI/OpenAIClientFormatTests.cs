using System.Buffers;
using System.Text;
using System.Text.Json;
using Spillway.Core.Chat;
using Spillway.Core.Codecs.OpenAI;

namespace Spillway.Core.Tests.Codecs.OpenAI;

public class OpenAIClientFormatTests
{
    private const string Tricky = "say \"hi\"\nthen \\ stop";

    private static string Write(Action<IBufferWriter<byte>> write)
    {
        var output = new ArrayBufferWriter<byte>();
        write(output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    [Fact]
    public void Name_IsOpenai()
    {
        Assert.Equal("openai", OpenAIClientFormat.Instance.Name);
    }

    [Fact]
    public void WriteError_AllFields_EachInItsOwnKey()
    {
        var error = new ChatError(404, ChatErrorKind.NotFound, "The model 'x' does not exist") { Code = "model_not_found", Param = "model" };

        var text = Write(o => OpenAIClientFormat.Instance.WriteError(o, error));

        using var document = JsonDocument.Parse(text);
        var body = document.RootElement.GetProperty("error");
        Assert.Equal(["message", "type", "param", "code"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal("The model 'x' does not exist", body.GetProperty("message").GetString());
        Assert.Equal("invalid_request_error", body.GetProperty("type").GetString());
        Assert.Equal("model", body.GetProperty("param").GetString());
        Assert.Equal("model_not_found", body.GetProperty("code").GetString());
        Assert.Single(document.RootElement.EnumerateObject());
    }

    [Fact]
    public void WriteError_NoCodeOrParam_AllFourKeysWithNulls()
    {
        var error = new ChatError(502, ChatErrorKind.UpstreamFailed, "upstream failed");

        var text = Write(o => OpenAIClientFormat.Instance.WriteError(o, error));

        Assert.Equal(
            "{\"error\":{\"message\":\"upstream failed\",\"type\":\"upstream_error\",\"param\":null,\"code\":null}}", text);
    }

    [Fact]
    public void WriteError_QuotesAndNewlines_EscapedOnOneLine()
    {
        var text = Write(o => OpenAIClientFormat.Instance.WriteError(o, ChatError.InvalidRequest(Tricky)));

        Assert.DoesNotContain('\n', text);
        Assert.Contains("\\n", text, StringComparison.Ordinal);
        Assert.Contains("\\\\", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"hi\"", text, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(text);
        Assert.Equal(Tricky, document.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public void WriteStreamError_SingleDataEventWithoutDone()
    {
        var error = new ChatError(502, ChatErrorKind.UpstreamFailed, Tricky) { Code = "rate_limited" };

        var text = Write(o => OpenAIClientFormat.Instance.WriteStreamError(o, error));

        Assert.StartsWith("data: {\"error\":{", text, StringComparison.Ordinal);
        Assert.EndsWith("}}\n\n", text, StringComparison.Ordinal);
        Assert.Equal(2, text.Count(c => c == '\n'));
        Assert.DoesNotContain("[DONE]", text, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(text["data: ".Length..^2]);
        var body = document.RootElement.GetProperty("error");
        Assert.Equal(Tricky, body.GetProperty("message").GetString());
        Assert.Equal("upstream_error", body.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("param").ValueKind);
        Assert.Equal("rate_limited", body.GetProperty("code").GetString());
    }

    [Fact]
    public void WriteStreamError_PlainMessage_ExactBytes()
    {
        var error = new ChatError(502, ChatErrorKind.UpstreamFailed, "cut") { Code = "server_error" };

        var text = Write(o => OpenAIClientFormat.Instance.WriteStreamError(o, error));

        Assert.Equal(
            "data: {\"error\":{\"message\":\"cut\",\"type\":\"upstream_error\",\"param\":null,\"code\":\"server_error\"}}\n\n",
            text);
    }

    [Theory]
    [InlineData(400, ChatErrorKind.InvalidRequest, null, "invalid_request_error", null)]
    [InlineData(401, ChatErrorKind.Authentication, "invalid_admin_token", "authentication_error", "invalid_admin_token")]
    [InlineData(402, ChatErrorKind.Billing, "budget_exceeded", "insufficient_quota", "budget_exceeded")]
    [InlineData(403, ChatErrorKind.PermissionDenied, "no_route_allowed", "permission_error", "no_route_allowed")]
    [InlineData(404, ChatErrorKind.NotFound, "unknown_url", "invalid_request_error", "unknown_url")]
    [InlineData(413, ChatErrorKind.RequestTooLarge, null, "invalid_request_error", "request_too_large")]
    [InlineData(429, ChatErrorKind.RateLimited, null, "rate_limit_exceeded", "rate_limit_exceeded")]
    [InlineData(403, ChatErrorKind.ContentRefused, "content_refused", "content_policy_violation", "content_refused")]
    [InlineData(500, ChatErrorKind.Server, "internal_error", "server_error", "internal_error")]
    [InlineData(502, ChatErrorKind.UpstreamFailed, "all_routes_failed", "upstream_error", "all_routes_failed")]
    public void WriteError_Kind_OpenAITypeAndCodeOrItsDefault(int status, ChatErrorKind kind, string? code, string type, string? written)
    {
        var error = new ChatError(status, kind, "m") { Code = code };

        var text = Write(o => OpenAIClientFormat.Instance.WriteError(o, error));

        using var document = JsonDocument.Parse(text);
        var body = document.RootElement.GetProperty("error");
        Assert.Equal(type, body.GetProperty("type").GetString());
        Assert.Equal(written, body.GetProperty("code").GetString());
    }

    [Fact]
    public void WriteError_DecodedUpstreamError_ProviderCodeNotShown()
    {
        var error = new ChatError(429, ChatErrorKind.RateLimited, "Slow down") { UpstreamCode = "rate_limit_error" };

        var text = Write(o => OpenAIClientFormat.Instance.WriteError(o, error));

        Assert.Equal(
            "{\"error\":{\"message\":\"Slow down\",\"type\":\"rate_limit_exceeded\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}", text);
    }
}
