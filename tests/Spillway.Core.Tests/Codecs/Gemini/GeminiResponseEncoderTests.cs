using System.Text;
using Spillway.Core.Chat;
using Spillway.Core.Codecs.Gemini;

namespace Spillway.Core.Tests.Codecs.Gemini;

public class GeminiResponseEncoderTests
{
    [Theory]
    [InlineData(GeminiRecordings.FunctionCalling, 0)]
    [InlineData(GeminiRecordings.FunctionCalling, 1)]
    [InlineData(GeminiRecordings.SystemInstruction, 0)]
    [InlineData(GeminiRecordings.WithConfig, 0)]
    public void Encode_DecodedRecording_SameJsonAsRecorded(string recording, int interaction)
    {
        var recorded = GeminiRecordings.ResponseBody(recording, interaction);
        var response = GeminiResponseDecoder.Decode(recorded).Value;

        var encoded = GeminiResponseEncoder.Encode(response).Value;

        GeminiRecordings.AssertJsonEqual(GeminiRecordings.Parse(recorded), GeminiRecordings.Parse(encoded.Body));
        Assert.Empty(encoded.DroppedHints);
    }

    [Fact]
    public void Encode_AnswerFromAnotherFormat_GeminiShapeAndForeignFieldsReported()
    {
        var response = new ChatResponse(
            "msg_1", "claude-x",
            [
                new ThinkingPart("Hmm.", "anthropic-sig"),
                new RedactedThinkingPart("ENCRYPTED"),
                new TextPart("Hello") { Extensions = ChatExtensions.Of([new ChatExtension(WireFormat.Anthropic, "citations", RawJson.FromString("[]"))]) },
                new ToolCallPart("toolu_9", "f", """{"a":1}"""),
            ],
            new ChatFinish(FinishReason.ToolCalls, "tool_use", WireFormat.Anthropic))
        {
            Usage = new TokenUsage(10, 7, 4, 2),
            Extensions = ChatExtensions.Of([new ChatExtension(WireFormat.Anthropic, "stop_details", RawJson.FromString("null"))]),
        };

        var encoded = GeminiResponseEncoder.Encode(response).Value;

        GeminiRecordings.AssertJsonEqual("""
            {"candidates":[{"content":{"role":"model","parts":[
               {"text":"Hmm.","thought":true,"thoughtSignature":"anthropic-sig"},
               {"text":"Hello"},
               {"functionCall":{"name":"f","args":{"a":1},"id":"toolu_9"}}]},
              "finishReason":"STOP"}],
             "usageMetadata":{"promptTokenCount":10,"candidatesTokenCount":5,"thoughtsTokenCount":2,"cachedContentTokenCount":4,"totalTokenCount":17},
             "modelVersion":"claude-x","responseId":"msg_1"}
            """, encoded.Body);
        Assert.Equal(["stop_details", "redacted_thinking", "citations"], encoded.DroppedHints);
    }

    [Fact]
    public void Encode_BlockedPromptFromGemini_NoCandidatesAndPromptFeedback()
    {
        var blocked = """{"promptFeedback":{"blockReason":"SAFETY"},"usageMetadata":{"promptTokenCount":8,"candidatesTokenCount":0,"totalTokenCount":8},"modelVersion":"m","responseId":"r"}""";
        var response = GeminiResponseDecoder.Decode(Encoding.UTF8.GetBytes(blocked)).Value;

        GeminiRecordings.AssertJsonEqual(blocked, GeminiResponseEncoder.Encode(response).Value.Body);
    }

    [Fact]
    public void Encode_ForeignOpaqueContent_Refused()
    {
        var response = new ChatResponse("id", "m",
            [new OpaquePart(WireFormat.OpenAI, "audio", RawJson.FromString("{}"))], new ChatFinish(FinishReason.Stop));

        var result = GeminiResponseEncoder.Encode(response);

        Assert.False(result.IsSuccess);
        Assert.Contains("'audio'", result.Error!.Message, StringComparison.Ordinal);
    }
}
