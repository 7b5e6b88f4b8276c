using System.Text;
using System.Text.Json;
using Spillway.Core.Chat;
using Spillway.Core.Codecs.Gemini;
using Spillway.TestSupport;

namespace Spillway.Core.Tests.Codecs.Gemini;

public class GeminiErrorCodecTests
{
    private static byte[] Sample(int index)
    {
        using var document = JsonDocument.Parse(Fixtures.ReadText("gemini-429-resource-exhausted-samples.json"));
        return Encoding.UTF8.GetBytes(document.RootElement.GetProperty("samples")[index].GetProperty("body").GetRawText());
    }

    [Fact]
    public void Decode_Recorded429_RateLimitedWithGoogleStatus()
    {
        var error = GeminiErrorCodec.Decode(429, Sample(0));

        Assert.Equal((429, ChatErrorKind.RateLimited, "RESOURCE_EXHAUSTED"), (error.Status, error.Kind, error.UpstreamCode));
        Assert.StartsWith("You exceeded your current quota, please check your plan and billing details.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_ArrayEnvelope_ReadsTheFirstError()
    {
        var error = GeminiErrorCodec.Decode(429,
            """[{"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}]"""u8);

        Assert.Equal((ChatErrorKind.RateLimited, "Resource has been exhausted (e.g. check quota)."), (error.Kind, error.Message));
    }

    [Theory]
    [InlineData(400, """{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com"}]}}""", ChatErrorKind.Authentication)]
    [InlineData(404, """{"error":{"code":404,"message":"models/x is not found.","status":"NOT_FOUND"}}""", ChatErrorKind.NotFound)]
    [InlineData(503, """{"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}""", ChatErrorKind.Overloaded)]
    [InlineData(504, """{"error":{"code":504,"message":"Deadline expired.","status":"DEADLINE_EXCEEDED"}}""", ChatErrorKind.Timeout)]
    [InlineData(500, """{"error":{"code":500,"message":"Internal error.","status":"INTERNAL"}}""", ChatErrorKind.Server)]
    [InlineData(403, """{"error":{"code":403,"message":"Denied.","status":"PERMISSION_DENIED"}}""", ChatErrorKind.PermissionDenied)]
    [InlineData(502, "<html>Bad Gateway</html>", ChatErrorKind.Server)]
    public void Decode_StatusAndReason_Kind(int status, string body, ChatErrorKind kind)
    {
        var error = GeminiErrorCodec.Decode(status, Encoding.UTF8.GetBytes(body));

        Assert.Equal((status, kind), (error.Status, error.Kind));
    }

    [Fact]
    public void Encode_InvalidRequestWithParam_GoogleStatusWithFieldViolation()
    {
        var body = GeminiErrorCodec.Encode(ChatError.InvalidRequest("The image cannot be fetched.", "messages[0].content[1]"));

        GeminiRecordings.AssertJsonEqual("""
            {"error":{"code":400,"message":"The image cannot be fetched.","status":"INVALID_ARGUMENT",
              "details":[{"@type":"type.googleapis.com/google.rpc.BadRequest",
                "fieldViolations":[{"field":"messages[0].content[1]","description":"The image cannot be fetched."}]}]}}
            """, body);
        var back = GeminiErrorCodec.Decode(400, body);
        Assert.Equal((ChatErrorKind.InvalidRequest, "messages[0].content[1]"), (back.Kind, back.Param));
    }

    [Theory]
    [InlineData(ChatErrorKind.RateLimited, 429, "RESOURCE_EXHAUSTED")]
    [InlineData(ChatErrorKind.Overloaded, 529, "UNAVAILABLE")]
    [InlineData(ChatErrorKind.Authentication, 401, "UNAUTHENTICATED")]
    [InlineData(ChatErrorKind.Timeout, 504, "DEADLINE_EXCEEDED")]
    public void Encode_Kind_GoogleStatus(ChatErrorKind kind, int status, string google)
    {
        var body = GeminiErrorCodec.Encode(new ChatError(status, kind, "x") { UpstreamCode = "overloaded_error" });

        GeminiRecordings.AssertJsonEqual($$$"""{"error":{"code":{{{status}}},"message":"x","status":"{{{google}}}"}}""", body);
    }

    [Fact]
    public void WriteStreamError_OneDataEvent()
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();

        GeminiErrorCodec.WriteStreamError(output, new ChatError(503, ChatErrorKind.Overloaded, "Busy."));

        Assert.Equal("data: {\"error\":{\"code\":503,\"message\":\"Busy.\",\"status\":\"UNAVAILABLE\"}}\n\n",
            Encoding.UTF8.GetString(output.WrittenSpan));
    }
}
