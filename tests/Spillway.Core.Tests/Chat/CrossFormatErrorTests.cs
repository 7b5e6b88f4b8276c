using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using Spillway.Core.Chat;
using Spillway.Core.Codecs.Anthropic;
using Spillway.Core.Codecs.OpenAI;
using Spillway.TestSupport;

namespace Spillway.Core.Tests.Chat;

public class CrossFormatErrorTests
{
    [Theory]
    [InlineData(400, ChatErrorKind.InvalidRequest, "invalid_request_error")]
    [InlineData(401, ChatErrorKind.Authentication, "authentication_error")]
    [InlineData(402, ChatErrorKind.Billing, "billing_error")]
    [InlineData(403, ChatErrorKind.PermissionDenied, "permission_error")]
    [InlineData(404, ChatErrorKind.NotFound, "not_found_error")]
    [InlineData(413, ChatErrorKind.RequestTooLarge, "request_too_large")]
    [InlineData(422, ChatErrorKind.InvalidRequest, "invalid_request_error")]
    [InlineData(429, ChatErrorKind.RateLimited, "rate_limit_error")]
    [InlineData(500, ChatErrorKind.Server, "api_error")]
    [InlineData(502, ChatErrorKind.UpstreamFailed, "api_error")]
    [InlineData(504, ChatErrorKind.Timeout, "timeout_error")]
    [InlineData(529, ChatErrorKind.Overloaded, "overloaded_error")]
    [InlineData(400, ChatErrorKind.ContentRefused, "invalid_request_error")]
    [InlineData(403, ChatErrorKind.ContentRefused, "permission_error")]
    public void AnthropicClientFormat_TypePerKind_ExactBody(int status, ChatErrorKind kind, string type)
    {
        var output = new ArrayBufferWriter<byte>();

        AnthropicClientFormat.Instance.WriteError(output, new ChatError(status, kind, "Something failed") { Code = "whatever" });

        Assert.Equal(
            "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"Something failed\"}}",
            Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public async Task AnthropicRecordedErrors_DecodedByTypeAndReencodedSame()
    {
        var samples = JsonNode.Parse(Fixtures.ReadText("anthropic-error-samples.json"))!["samples"]!.AsArray();
        foreach (var sample in samples.Where(s => s!["body"] is not null))
        {
            var body = sample!["body"]!.ToJsonString();
            var status = sample["http_status"]!.GetValue<int>();

            var error = AnthropicErrorCodec.Decode(status, Encoding.UTF8.GetBytes(body));

            Assert.Equal(status, error.Status);
            JsonAssert.Equal(body, Encoding.UTF8.GetString(AnthropicErrorCodec.EncodeBody(error)));
        }

        var sse = samples.Single(s => s!["sse"] is not null)!["sse"]!.GetValue<string>() + "\n\n";
        var (events, _) = await SseEvents.DecodeAnthropicAsync(Encoding.UTF8.GetBytes(sse));
        var streamError = Assert.IsType<StreamErrorEvent>(Assert.Single(events)).Error;
        Assert.Equal((529, ChatErrorKind.Overloaded, "Overloaded"), (streamError.Status, streamError.Kind, streamError.Message));
    }

    [Fact]
    public void AnthropicRateLimit_ToOpenAIBody()
    {
        const string Body = """{"type":"error","error":{"type":"rate_limit_error","message":"Slow down"},"request_id":"req_1"}""";

        var error = AnthropicErrorCodec.Decode(429, Encoding.UTF8.GetBytes(Body));

        Assert.Equal(
            """{"error":{"message":"Slow down","type":"rate_limit_exceeded","param":null,"code":"rate_limit_exceeded"}}""",
            Encoding.UTF8.GetString(OpenAIChatErrorCodec.EncodeBody(error)));
    }

    [Fact]
    public void AnthropicOverloadedWith529_ToOpenAIServerError()
    {
        var error = AnthropicErrorCodec.Decode(
            529, """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"""u8);

        Assert.Equal(ChatErrorKind.Overloaded, error.Kind);
        Assert.Equal(
            """{"error":{"message":"Overloaded","type":"server_error","param":null,"code":"overloaded"}}""",
            Encoding.UTF8.GetString(OpenAIChatErrorCodec.EncodeBody(error)));
    }

    [Theory]
    [InlineData(429, """{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}""", ChatErrorKind.Billing, "billing_error")]
    [InlineData(429, """{"error":{"message":"Rate limit reached","type":"tokens","param":null,"code":"rate_limit_exceeded"}}""", ChatErrorKind.RateLimited, "rate_limit_error")]
    [InlineData(401, """{"error":{"message":"Incorrect API key","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}""", ChatErrorKind.Authentication, "authentication_error")]
    [InlineData(404, """{"error":{"message":"The model does not exist","type":"invalid_request_error","param":null,"code":"model_not_found"}}""", ChatErrorKind.NotFound, "not_found_error")]
    [InlineData(502, "<html>Bad gateway</html>", ChatErrorKind.Server, "api_error")]
    public void OpenAIErrors_ToAnthropicBody(int status, string body, ChatErrorKind kind, string anthropicType)
    {
        var error = OpenAIChatErrorCodec.Decode(status, Encoding.UTF8.GetBytes(body));

        var anthropic = JsonNode.Parse(AnthropicErrorCodec.EncodeBody(error))!;

        Assert.Equal(kind, error.Kind);
        Assert.Equal("error", anthropic["type"]!.GetValue<string>());
        Assert.Equal(anthropicType, anthropic["error"]!["type"]!.GetValue<string>());
        Assert.Equal(error.Message, anthropic["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public void RefusedTranslation_AsClientErrorBodies()
    {
        var refusal = ChatError.InvalidRequest("messages[0].content[0]: 'document' content (Anthropic) cannot be sent to an OpenAI-format upstream.", "messages[0].content[0]");

        // The OpenAI body comes from the existing OpenAIErrorWriter, which escapes apostrophes: same JSON value.
        JsonAssert.Equal(
            """{"error":{"message":"messages[0].content[0]: 'document' content (Anthropic) cannot be sent to an OpenAI-format upstream.","type":"invalid_request_error","param":"messages[0].content[0]","code":null}}""",
            Encoding.UTF8.GetString(OpenAIChatErrorCodec.EncodeBody(refusal)));
        Assert.Equal(
            """{"type":"error","error":{"type":"invalid_request_error","message":"messages[0].content[0]: 'document' content (Anthropic) cannot be sent to an OpenAI-format upstream."}}""",
            Encoding.UTF8.GetString(AnthropicErrorCodec.EncodeBody(refusal)));
    }

    [Fact]
    public void AnthropicClientFormat_StreamError_EventError()
    {
        var output = new ArrayBufferWriter<byte>();

        AnthropicClientFormat.Instance.WriteStreamError(output, new ChatError(502, ChatErrorKind.UpstreamFailed, "Upstream failed"));

        Assert.Equal(
            "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Upstream failed\"}}\n\n",
            Encoding.UTF8.GetString(output.WrittenSpan));
    }
}
