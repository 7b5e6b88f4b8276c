using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using Spillway.Core.Chat;
using Spillway.Core.Codecs;
using Spillway.Core.Codecs.Responses;

namespace Spillway.Core.Tests.Codecs.Responses;

public class ResponsesClientFormatTests
{
    private static InboundRequest Inbound(string body) => new()
    {
        Client = ResponsesClientFormat.Instance,
        Body = Encoding.UTF8.GetBytes(body),
        Stream = false,
        ReceivedAt = DateTimeOffset.FromUnixTimeSeconds(1_741_476_542),
    };

    [Fact]
    public void Identity_NameAndOwnWireFormat()
    {
        Assert.Equal("openai-responses", ResponsesClientFormat.Instance.Name);
        Assert.Equal(WireFormat.OpenAIResponses, ResponsesClientFormat.Instance.Format);
    }

    [Fact]
    public void DecodeRequest_BadField_ErrorNamingIt()
    {
        var result = ResponsesClientFormat.Instance.DecodeRequest(Inbound("""{"model":"m","input":"x","messages":[]}"""));

        Assert.Equal("messages", result.Error?.Param);
    }

    [Fact]
    public void EncodeResponse_EchoesTheDecodedRequest()
    {
        var inbound = Inbound("""{"model":"m","input":"x","top_p":0.9}""");

        var body = JsonNode.Parse(ResponsesClientFormat.Instance.EncodeResponse(
            new ChatResponse("x1", "m", [new TextPart("Hi")], new ChatFinish(FinishReason.Stop)), inbound).Value.Body)!;

        Assert.Equal((0.9, 1_741_476_542L), ((double?)body["top_p"], (long?)body["created_at"]));
    }

    [Fact]
    public void WriteError_OpenAIErrorShape()
    {
        var output = new ArrayBufferWriter<byte>();

        ResponsesClientFormat.Instance.WriteError(output, ChatError.InvalidRequest("input: required.", "input"));

        var error = JsonNode.Parse(output.WrittenSpan.ToArray())!["error"]!;
        Assert.Equal(("input: required.", "invalid_request_error", "input"), ((string?)error["message"], (string?)error["type"], (string?)error["param"]));
    }
}
