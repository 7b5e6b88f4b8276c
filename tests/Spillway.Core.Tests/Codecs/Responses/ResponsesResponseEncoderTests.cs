using System.Text;
using System.Text.Json.Nodes;
using Spillway.Core.Chat;
using Spillway.Core.Codecs.Responses;

namespace Spillway.Core.Tests.Codecs.Responses;

public class ResponsesResponseEncoderTests
{
    private static JsonNode Encode(ChatResponse response, ChatRequest? request = null) =>
        JsonNode.Parse(ResponsesResponseEncoder.Encode(response, createdAt: 1_741_476_542, request).Value.Body)!;

    [Fact]
    public void Encode_TextAnswer_CompletedResponseWithOneMessage()
    {
        var response = new ChatResponse("chatcmpl-abc", "gpt-4.1", [new TextPart("Hello"), new TextPart(" there")], new ChatFinish(FinishReason.Stop));

        var body = Encode(response);

        Assert.Equal(("resp_abc", "response", 1_741_476_542L, "completed"), ((string?)body["id"], (string?)body["object"], (long?)body["created_at"], (string?)body["status"]));
        Assert.Equal("gpt-4.1", (string?)body["model"]);
        Assert.Null(body["incomplete_details"]);
        Assert.Null(body["output_text"]);
        var item = Assert.Single(body["output"]!.AsArray())!;
        Assert.Equal(("message", "msg_abc_0", "completed", "assistant"), ((string?)item["type"], (string?)item["id"], (string?)item["status"], (string?)item["role"]));
        var part = Assert.Single(item["content"]!.AsArray())!;
        Assert.Equal(("output_text", "Hello there"), ((string?)part["type"], (string?)part["text"]));
        Assert.Empty(part["annotations"]!.AsArray());
    }

    [Fact]
    public void Encode_ThinkingTextAndToolCall_ReasoningMessageAndFunctionCallInOrder()
    {
        var response = new ChatResponse(
            "msg_01X",
            "claude",
            [new ThinkingPart("Need the weather.", "sig"), new TextPart("Checking."), new ToolCallPart("toolu_1", "get_weather", "{\"city\":\"Paris\"}")],
            new ChatFinish(FinishReason.ToolCalls));

        var output = Encode(response)["output"]!.AsArray();

        Assert.Equal(["reasoning", "message", "function_call"], output.Select(x => (string?)x!["type"]));
        Assert.Equal(("rs_01X_0", "Need the weather."), ((string?)output[0]!["id"], (string?)output[0]!["summary"]![0]!["text"]));
        var call = output[2]!;
        Assert.Equal(
            ("fc_01X_2", "toolu_1", "get_weather", "{\"city\":\"Paris\"}", "completed"),
            ((string?)call["id"], (string?)call["call_id"], (string?)call["name"], (string?)call["arguments"], (string?)call["status"]));
    }

    [Theory]
    [InlineData(FinishReason.Length, "max_output_tokens")]
    [InlineData(FinishReason.ContentFilter, "content_filter")]
    public void Encode_CutAnswer_IncompleteWithReason(FinishReason reason, string expected)
    {
        var body = Encode(new ChatResponse("x1", "m", [new TextPart("Once upon")], new ChatFinish(reason)));

        Assert.Equal("incomplete", (string?)body["status"]);
        Assert.Equal(expected, (string?)body["incomplete_details"]!["reason"]);
        Assert.Equal("incomplete", (string?)body["output"]![0]!["status"]);
    }

    [Fact]
    public void Encode_Usage_ResponsesUsageWithDetails()
    {
        var response = new ChatResponse("x1", "m", [new TextPart("Hi")], new ChatFinish(FinishReason.Stop))
        {
            Usage = new TokenUsage(InputTokens: 120, OutputTokens: 40, CachedInputTokens: 100, ReasoningTokens: 30),
        };

        var usage = Encode(response)["usage"]!;

        Assert.Equal((120L, 100L, 40L, 30L, 160L), (
            (long?)usage["input_tokens"], (long?)usage["input_tokens_details"]!["cached_tokens"],
            (long?)usage["output_tokens"], (long?)usage["output_tokens_details"]!["reasoning_tokens"], (long?)usage["total_tokens"]));
    }

    [Fact]
    public void Encode_WithRequest_EchoesSettings()
    {
        var request = ResponsesRequestDecoder.Decode(Encoding.UTF8.GetBytes("""
            {"model":"m","input":"x","instructions":"Be terse.","temperature":0.5,"max_output_tokens":99,
             "tools":[{"type":"function","name":"f","parameters":{"type":"object"}}],"tool_choice":"required",
             "text":{"format":{"type":"json_object"}},"metadata":{"k":"v"}}
            """)).Value.Chat;

        var body = Encode(new ChatResponse("x1", "m", [new TextPart("{}")], new ChatFinish(FinishReason.Stop)), request);

        Assert.Equal(("Be terse.", 0.5, 99, "required"), ((string?)body["instructions"], (double?)body["temperature"], (int?)body["max_output_tokens"], (string?)body["tool_choice"]));
        Assert.Equal("f", (string?)body["tools"]![0]!["name"]);
        Assert.Equal("json_object", (string?)body["text"]!["format"]!["type"]);
        Assert.Equal("v", (string?)body["metadata"]!["k"]);
    }

    [Theory]
    [InlineData("", true, null)]
    [InlineData(",\"store\":true", true, null)]
    [InlineData(",\"store\":false", false, null)]
    [InlineData(",\"previous_response_id\":\"resp_prev\"", true, "resp_prev")]
    public void Encode_WithRequest_EchoesStoreAndPreviousResponseId(string fields, bool store, string? previous)
    {
        var request = ResponsesRequestDecoder.Decode(Encoding.UTF8.GetBytes($$"""{"model":"m","input":"x"{{fields}}}""")).Value.Chat;

        var body = Encode(new ChatResponse("x1", "m", [new TextPart("Hi")], new ChatFinish(FinishReason.Stop)), request);

        Assert.Equal(store, (bool?)body["store"]);
        Assert.Equal(previous, (string?)body["previous_response_id"]);
    }

    [Fact]
    public void Encode_WithoutRequest_NotStored() =>
        Assert.False((bool?)Encode(new ChatResponse("x1", "m", [new TextPart("Hi")], new ChatFinish(FinishReason.Stop)))["store"]);

    [Fact]
    public void Encode_OpaqueContent_Refused()
    {
        var response = new ChatResponse("x1", "m", [new OpaquePart(WireFormat.Anthropic, "document", RawJson.FromString("{}"))], new ChatFinish(FinishReason.Stop));

        var result = ResponsesResponseEncoder.Encode(response, 1);

        Assert.Equal(502, result.Error?.Status);
    }
}
