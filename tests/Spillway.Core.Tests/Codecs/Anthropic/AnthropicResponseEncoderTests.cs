using System.Text.Json.Nodes;
using Spillway.Core.Chat;
using Spillway.Core.Codecs.Anthropic;
using Spillway.Core.Codecs.Gemini;
using Spillway.Core.Tests.Codecs.Gemini;

namespace Spillway.Core.Tests.Codecs.Anthropic;

public class AnthropicResponseEncoderTests
{
    [Fact]
    public void Encode_GeminiRecording_MsgIdFromResponseId()
    {
        var response = GeminiResponseDecoder.Decode(GeminiRecordings.ResponseBody(GeminiRecordings.FunctionCalling)).Value;

        var body = JsonNode.Parse(AnthropicResponseEncoder.Encode(response).Value.Body)!;

        Assert.Equal("msg_x9SfaLCQBs7shMIP2Mei0AI", (string?)body["id"]);
    }

    [Fact]
    public void Encode_NoUpstreamId_RandomMsgId()
    {
        var response = new ChatResponse("", "gemini-2.5-flash", [new TextPart("ok")], new ChatFinish(FinishReason.Stop));

        var body = JsonNode.Parse(AnthropicResponseEncoder.Encode(response).Value.Body)!;

        Assert.Matches("^msg_[A-Za-z0-9]{24}$", (string?)body["id"]);
    }
}
