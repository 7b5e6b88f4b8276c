using System.Text.Json;
using Spillway.Core.Chat;
using Spillway.Core.Codecs.Responses;

namespace Spillway.Core.Tests.Codecs.Responses;

public class ResponsesRequestEncoderTests
{
    private static JsonElement Encode(ChatRequest request)
    {
        var result = ResponsesRequestEncoder.Encode(request);
        Assert.True(result.IsSuccess, result.Error?.Message);
        return JsonDocument.Parse(result.Value.Body).RootElement;
    }

    [Fact]
    public void Encode_Conversation_InstructionsInputItemsToolsAndStoreOff()
    {
        var request = new ChatRequest
        {
            Model = "gpt-4.1",
            System = [new TextPart("Be brief.")],
            Messages =
            [
                new ChatMessage(ChatRole.User, [new TextPart("Weather?"), new ImagePart(new ImageDataSource("image/png", "iVBOR"))]),
                new ChatMessage(ChatRole.Assistant, [new TextPart("Checking."), new ToolCallPart("call_1", "get_weather", "{\"city\":\"Paris\"}")]),
                new ChatMessage(ChatRole.Tool, [new ToolResultPart("call_1", [new TextPart("Sunny")])]),
            ],
            Tools = [new ChatTool("get_weather", "Looks it up", RawJson.FromString("""{"type":"object"}"""))],
            ToolChoice = new ChatToolChoice(ToolChoiceMode.Named, "get_weather"),
            MaxOutputTokens = 100,
            ResponseFormat = new ChatResponseFormat(ResponseFormatType.JsonSchema) { Schema = RawJson.FromString("""{"type":"object"}""") },
            Stream = true,
        };

        var body = Encode(request);

        Assert.Equal("Be brief.", body.GetProperty("instructions").GetString());
        var input = body.GetProperty("input").EnumerateArray().ToList();
        Assert.Equal(["message", "message", "function_call", "function_call_output"], input.Select(i => i.GetProperty("type").GetString()));
        Assert.Equal("data:image/png;base64,iVBOR", input[0].GetProperty("content")[1].GetProperty("image_url").GetString());
        Assert.Equal("output_text", input[1].GetProperty("content")[0].GetProperty("type").GetString());
        Assert.Equal(("call_1", "{\"city\":\"Paris\"}"), (input[2].GetProperty("call_id").GetString(), input[2].GetProperty("arguments").GetString()));
        Assert.Equal("Sunny", input[3].GetProperty("output").GetString());
        var tool = body.GetProperty("tools")[0];
        Assert.Equal(("function", "get_weather", false), (tool.GetProperty("type").GetString(), tool.GetProperty("name").GetString(), tool.GetProperty("strict").GetBoolean()));
        Assert.Equal("get_weather", body.GetProperty("tool_choice").GetProperty("name").GetString());
        Assert.Equal(100, body.GetProperty("max_output_tokens").GetInt32());
        Assert.Equal("response", body.GetProperty("text").GetProperty("format").GetProperty("name").GetString());
        Assert.False(body.GetProperty("store").GetBoolean());
        Assert.True(body.GetProperty("stream").GetBoolean());
    }

    [Fact]
    public void Encode_AnthropicToolResultsInAUserTurn_BecomeFunctionCallOutputsBeforeTheText()
    {
        var body = Encode(new ChatRequest
        {
            Model = "m",
            Messages = [new ChatMessage(ChatRole.User, [new ToolResultPart("toolu_1", [new TextPart("42")]), new TextPart("And now?")])],
        });

        var input = body.GetProperty("input").EnumerateArray().ToList();
        Assert.Equal(["function_call_output", "message"], input.Select(i => i.GetProperty("type").GetString()));
    }

    [Fact]
    public void Encode_AnotherFormatsDocument_IsRefusedAndStopSequencesAreDroppedAndReported()
    {
        var refused = ResponsesRequestEncoder.Encode(new ChatRequest
        {
            Model = "m",
            Messages = [new ChatMessage(ChatRole.User, [new OpaquePart(WireFormat.Anthropic, "document", RawJson.FromString("{}"))])],
        });
        var dropped = ResponsesRequestEncoder.Encode(new ChatRequest
        {
            Model = "m",
            Messages = [new ChatMessage(ChatRole.User, [new TextPart("Hi")])],
            StopSequences = ["END"],
        });

        Assert.Contains("document", refused.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("stop", dropped.Value.DroppedHints);
    }
}
