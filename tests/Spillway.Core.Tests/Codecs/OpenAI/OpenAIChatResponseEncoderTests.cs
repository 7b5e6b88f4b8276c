using System.Text.Json.Nodes;
using Spillway.Core.Codecs.Gemini;
using Spillway.Core.Codecs.OpenAI;
using Spillway.Core.Tests.Codecs.Gemini;

namespace Spillway.Core.Tests.Codecs.OpenAI;

public class OpenAIChatResponseEncoderTests
{
    [Fact]
    public void Encode_GeminiRecording_ChatcmplIdFromResponseId()
    {
        var response = GeminiResponseDecoder.Decode(GeminiRecordings.ResponseBody(GeminiRecordings.FunctionCalling)).Value;

        var body = JsonNode.Parse(OpenAIChatResponseEncoder.Encode(response, created: 1).Value.Body)!;

        Assert.Equal("chatcmpl-x9SfaLCQBs7shMIP2Mei0AI", (string?)body["id"]);
    }
}
