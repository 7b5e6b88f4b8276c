using System.Text;
using Spillway.Core.Chat;
using Spillway.Core.Codecs.Gemini;

namespace Spillway.Core.Tests.Codecs.Gemini;

public class GeminiResponseDecoderTests
{
    private static ChatResponse Decode(string json) => GeminiResponseDecoder.Decode(Encoding.UTF8.GetBytes(json)).Value;

    [Fact]
    public void Decode_FunctionCallingRecording_ToolCallWithExactNameAndArgs()
    {
        var response = GeminiResponseDecoder.Decode(GeminiRecordings.ResponseBody(GeminiRecordings.FunctionCalling)).Value;

        var call = Assert.IsType<ToolCallPart>(Assert.Single(response.Content));
        Assert.Equal("customDivide", call.Name);
        Assert.Equal("""{"denominator":2,"numerator":100}""", call.ArgumentsJson);
        Assert.Equal("call_x9SfaLCQBs7shMIP2Mei0AI_0", call.Id);
        Assert.Equal(new ChatFinish(FinishReason.ToolCalls, "STOP", WireFormat.Gemini), response.Finish);
        Assert.Equal(("x9SfaLCQBs7shMIP2Mei0AI", "gemini-2.0-flash"), (response.Id, response.Model));
        Assert.Equal(new TokenUsage(21, 6), response.Usage);
        Assert.Equal("-0.0014493816221753757", response.Extensions.Find(WireFormat.Gemini, "candidates.avgLogprobs")?.ToString());
    }

    [Fact]
    public void Decode_SystemInstructionRecording_ThoughtsCountAsOutputAndReasoning()
    {
        var response = GeminiResponseDecoder.Decode(GeminiRecordings.ResponseBody(GeminiRecordings.SystemInstruction)).Value;

        // promptTokenCount 9, candidatesTokenCount 1, thoughtsTokenCount 20 (wire-facts §6).
        var tokens = response.Usage!.Value;
        Assert.Equal(9, tokens.InputTokens);
        Assert.Equal(21, tokens.OutputTokens);
        Assert.Equal(20, tokens.ReasoningTokens);
        Assert.Equal(0, tokens.CachedInputTokens);
        Assert.Equal(30, tokens.TotalTokens);
        Assert.Equal(new TextPart("low"), Assert.Single(response.Content));
        Assert.Equal(FinishReason.Stop, response.Finish.Reason);
    }

    [Fact]
    public void Decode_WithConfigRecording_MaxTokensIsLength()
    {
        var response = GeminiResponseDecoder.Decode(GeminiRecordings.ResponseBody(GeminiRecordings.WithConfig)).Value;

        Assert.Equal(new ChatFinish(FinishReason.Length, "MAX_TOKENS", WireFormat.Gemini), response.Finish);
        Assert.Equal(new TokenUsage(6, 20), response.Usage);
        Assert.Equal(
            "The sky is blue because of a phenomenon called **Rayleigh scattering**. Here's a breakdown:",
            Assert.IsType<TextPart>(Assert.Single(response.Content)).Text);
    }

    [Theory]
    [InlineData("STOP", FinishReason.Stop)]
    [InlineData("MAX_TOKENS", FinishReason.Length)]
    [InlineData("SAFETY", FinishReason.ContentFilter)]
    [InlineData("RECITATION", FinishReason.ContentFilter)]
    [InlineData("BLOCKLIST", FinishReason.ContentFilter)]
    [InlineData("PROHIBITED_CONTENT", FinishReason.ContentFilter)]
    [InlineData("SPII", FinishReason.ContentFilter)]
    [InlineData("IMAGE_SAFETY", FinishReason.ContentFilter)]
    [InlineData("MALFORMED_FUNCTION_CALL", FinishReason.Other)]
    [InlineData("LANGUAGE", FinishReason.Other)]
    [InlineData("SOMETHING_NEW", FinishReason.Other)]
    public void Decode_FinishReason_MapsAndKeepsGeminiWord(string reason, FinishReason expected)
    {
        var response = Decode($$"""{"candidates":[{"content":{"parts":[{"text":"x"}]},"finishReason":"{{reason}}"}]}""");

        Assert.Equal(new ChatFinish(expected, reason, WireFormat.Gemini), response.Finish);
    }

    [Fact]
    public void Decode_BlockedPrompt_EmptyContentFilterAnswer()
    {
        var response = Decode("""{"promptFeedback":{"blockReason":"SAFETY","safetyRatings":[]},"usageMetadata":{"promptTokenCount":8,"totalTokenCount":8},"modelVersion":"m","responseId":"r"}""");

        Assert.Empty(response.Content);
        Assert.Equal(new ChatFinish(FinishReason.ContentFilter, "SAFETY", WireFormat.Gemini), response.Finish);
        Assert.Equal(new TokenUsage(8, 0), response.Usage);
    }

    [Fact]
    public void Decode_NoCandidateNoBlockReason_Failure()
    {
        var result = GeminiResponseDecoder.Decode("""{"modelVersion":"m"}"""u8);

        Assert.False(result.IsSuccess);
        Assert.Equal(ChatErrorKind.Server, result.Error!.Kind);
    }

    [Fact]
    public void Decode_ThoughtAndSignedCallWithGeminiId_ThinkingPartAndIdKept()
    {
        var response = Decode("""
            {"candidates":[{"content":{"role":"model","parts":[
              {"text":"Plan: look it up.","thought":true,"thoughtSignature":"U0lHMQ=="},
              {"functionCall":{"id":"fc-77","name":"lookup","args":{}},"thoughtSignature":"U0lHMg=="}]},
              "finishReason":"STOP"}],"responseId":"r9"}
            """);

        Assert.Equal(new ThinkingPart("Plan: look it up.", "U0lHMQ=="), response.Content[0]);
        var call = Assert.IsType<ToolCallPart>(response.Content[1]);
        Assert.Equal(("fc-77", "lookup", "{}"), (call.Id, call.Name, call.ArgumentsJson));
        Assert.Equal("\"U0lHMg==\"", call.Extensions.Find(WireFormat.Gemini, "thoughtSignature")?.ToString());
        Assert.Equal(FinishReason.ToolCalls, response.Finish.Reason);
    }

    [Fact]
    public void Decode_CachedAndToolUsePromptTokens_InputIncludesBoth()
    {
        var response = Decode("""{"candidates":[{"content":{"parts":[{"text":"x"}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":100,"cachedContentTokenCount":60,"toolUsePromptTokenCount":5,"candidatesTokenCount":3,"totalTokenCount":108}}""");

        Assert.Equal(new TokenUsage(105, 3, 60, 0), response.Usage);
        Assert.Equal(45, response.Usage!.Value.UncachedInputTokens);
    }

    [Fact]
    public void Decode_ErrorBody_DecodedAsError()
    {
        var result = GeminiResponseDecoder.Decode("""{"error":{"code":400,"message":"Bad.","status":"INVALID_ARGUMENT"}}"""u8);

        Assert.Equal((400, ChatErrorKind.InvalidRequest, "Bad."), (result.Error!.Status, result.Error.Kind, result.Error.Message));
    }
}
