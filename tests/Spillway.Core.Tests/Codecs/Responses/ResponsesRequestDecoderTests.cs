using System.Text;
using Spillway.Core.Chat;
using Spillway.Core.Codecs.Responses;

namespace Spillway.Core.Tests.Codecs.Responses;

public class ResponsesRequestDecoderTests
{
    private static ChatResult<ResponsesRequest> Decode(string json) => ResponsesRequestDecoder.Decode(Encoding.UTF8.GetBytes(json));

    private static ChatError Refusal(string json)
    {
        var result = Decode(json);
        Assert.False(result.IsSuccess);
        Assert.Equal(400, result.Error!.Status);
        return result.Error;
    }

    [Fact]
    public void Decode_StringInput_OneUserMessage()
    {
        var request = Decode("""{"model":"gpt-4.1","input":"Tell me a joke","stream":true,"max_output_tokens":64}""").Value.Chat;

        Assert.Equal("gpt-4.1", request.Model);
        var message = Assert.Single(request.Messages);
        Assert.Equal(ChatRole.User, message.Role);
        Assert.Equal(new TextPart("Tell me a joke"), Assert.Single(message.Content));
        Assert.Equal((true, true, 64), (request.Stream, request.IncludeUsage, request.MaxOutputTokens));
    }

    [Fact]
    public void Decode_InputTextAndImages_TextDataImageAndUrlImage()
    {
        var request = Decode("""
            {"model":"m","input":[{"role":"user","content":[
              {"type":"input_text","text":"What is in these?"},
              {"type":"input_image","image_url":"data:image/png;base64,iVBORw0KGgo=","detail":"high"},
              {"type":"input_image","image_url":"https://example.com/cat.jpg"}]}]}
            """).Value.Chat;

        var content = Assert.Single(request.Messages).Content;
        Assert.Equal(new TextPart("What is in these?"), content[0]);
        var inline = Assert.IsType<ImagePart>(content[1]);
        Assert.Equal(new ImageDataSource("image/png", "iVBORw0KGgo="), inline.Source);
        Assert.Equal("\"high\"", inline.Extensions.Find(WireFormat.OpenAI, "image_url.detail")?.ToString());
        Assert.Equal(new ImageUrlSource("https://example.com/cat.jpg"), Assert.IsType<ImagePart>(content[2]).Source);
    }

    [Fact]
    public void Decode_InstructionsAndDeveloperMessage_SystemPromptInOrder()
    {
        var request = Decode("""
            {"model":"m","instructions":"Be terse.","input":[
              {"type":"message","role":"developer","content":"Answer in French."},
              {"type":"message","role":"user","content":[{"type":"input_text","text":"Hi"}]}]}
            """).Value.Chat;

        Assert.Equal(["Be terse.", "Answer in French."], request.System.Select(p => p.Text));
        Assert.Equal(ChatRole.User, Assert.Single(request.Messages).Role);
    }

    [Fact]
    public void Decode_FlatFunctionToolAndNamedChoice_CanonicalToolAndChoice()
    {
        var request = Decode("""
            {"model":"m","input":"weather?","parallel_tool_calls":false,
             "tools":[{"type":"function","name":"get_weather","description":"Weather now","strict":true,
                       "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}],
             "tool_choice":{"type":"function","name":"get_weather"}}
            """).Value.Chat;

        var tool = Assert.Single(request.Tools);
        Assert.Equal(("get_weather", "Weather now", true), (tool.Name, tool.Description, tool.Strict));
        Assert.Equal("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""", tool.InputSchema.ToString());
        Assert.Equal(new ChatToolChoice(ToolChoiceMode.Named, "get_weather"), request.ToolChoice);
        Assert.False(request.ParallelToolCalls);
    }

    [Theory]
    [InlineData("\"auto\"", ToolChoiceMode.Auto)]
    [InlineData("\"none\"", ToolChoiceMode.None)]
    [InlineData("\"required\"", ToolChoiceMode.Required)]
    public void Decode_ToolChoiceString_Mode(string choice, ToolChoiceMode mode)
    {
        var request = Decode($$"""{"model":"m","input":"x","tools":[{"type":"function","name":"f"}],"tool_choice":{{choice}}}""").Value.Chat;

        Assert.Equal(mode, request.ToolChoice?.Mode);
    }

    [Fact]
    public void Decode_FunctionCallThenOutput_AssistantCallThenToolResultWithSameId()
    {
        var request = Decode("""
            {"model":"m","input":[
              {"role":"user","content":"Weather in Paris?"},
              {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Checking."}]},
              {"type":"function_call","call_id":"call_1","name":"get_weather","arguments":"{\"city\":\"Paris\"}"},
              {"type":"function_call_output","call_id":"call_1","output":"18°C"}]}
            """).Value.Chat;

        Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.Tool], request.Messages.Select(m => m.Role));
        Assert.Equal(
            [new TextPart("Checking."), new ToolCallPart("call_1", "get_weather", "{\"city\":\"Paris\"}")],
            request.Messages[1].Content);
        var result = Assert.IsType<ToolResultPart>(Assert.Single(request.Messages[2].Content));
        Assert.Equal("call_1", result.ToolCallId);
        Assert.Equal(new TextPart("18°C"), Assert.Single(result.Content));
    }

    [Fact]
    public void Decode_JsonSchemaTextFormat_ResponseFormat()
    {
        var request = Decode("""
            {"model":"m","input":"x","text":{"format":{"type":"json_schema","name":"event","strict":true,
              "schema":{"type":"object","properties":{"name":{"type":"string"}}}}}}
            """).Value.Chat;

        var format = request.ResponseFormat!;
        Assert.Equal((ResponseFormatType.JsonSchema, "event", true), (format.Type, format.Name, format.Strict));
        Assert.Equal("""{"type":"object","properties":{"name":{"type":"string"}}}""", format.Schema.ToString());
    }

    [Fact]
    public void Decode_ReasoningItem_DroppedWithHint()
    {
        var decoded = Decode("""
            {"model":"m","input":[
              {"role":"user","content":"Hi"},
              {"type":"reasoning","id":"rs_1","summary":[],"encrypted_content":"gAAA"},
              {"role":"assistant","content":"Hello"}]}
            """).Value;

        Assert.Equal([ChatRole.User, ChatRole.Assistant], decoded.Chat.Messages.Select(m => m.Role));
        Assert.Equal(["input.reasoning"], decoded.DroppedHints);
        Assert.NotNull(decoded.Chat.Extensions.Find(WireFormat.OpenAIResponses, "input.reasoning"));
    }

    [Fact]
    public void Decode_ReasoningEffort_AdaptiveThinkingAndChatReasoningEffort()
    {
        var request = Decode("""{"model":"m","input":"x","reasoning":{"effort":"high","summary":"auto"}}""").Value.Chat;

        Assert.Equal(new ChatThinking(ThinkingMode.Adaptive), request.Thinking);
        Assert.Equal("\"high\"", request.Extensions.Find(WireFormat.OpenAI, "reasoning_effort")?.ToString());
    }

    [Fact]
    public void Decode_BuiltInToolBesideFunction_DroppedWithHint()
    {
        var decoded = Decode("""
            {"model":"m","input":"x","tool_choice":"required",
             "tools":[{"type":"web_search_preview"},{"type":"function","name":"f","parameters":{"type":"object"}}]}
            """).Value;

        Assert.Equal("f", Assert.Single(decoded.Chat.Tools).Name);
        Assert.Equal(["tools.web_search_preview"], decoded.DroppedHints);
        Assert.Equal(ToolChoiceMode.Required, decoded.Chat.ToolChoice?.Mode);
        var hint = Assert.Single(decoded.Chat.Extensions.Items, x => x.Name == "tools.web_search_preview");
        Assert.False(hint.MustHonor);
    }

    [Fact]
    public void Decode_OnlyBuiltInsAndRequired_Refused()
    {
        var error = Refusal("""{"model":"m","input":"x","tools":[{"type":"file_search"}],"tool_choice":"required"}""");

        Assert.Equal("tool_choice", error.Param);
    }

    [Fact]
    public void Decode_ChoiceNamesBuiltIn_Refused()
    {
        var error = Refusal("""
            {"model":"m","input":"x","tools":[{"type":"web_search"},{"type":"function","name":"f"}],"tool_choice":{"type":"web_search"}}
            """);

        Assert.Equal("tool_choice", error.Param);
    }

    [Fact]
    public void Decode_CodexRequest_ClientMetadataKeptAsAResponsesFieldNamespaceAndWebSearchDropped()
    {
        // The shape Codex CLI 0.171 sends: item ids and metadata on messages, client_metadata, a tool namespace.
        var decoded = Decode("""
            {"model":"m","stream":true,"store":false,"include":["reasoning.encrypted_content"],"reasoning":{"summary":"auto"},
             "prompt_cache_key":"k","parallel_tool_calls":true,"tool_choice":"auto",
             "client_metadata":{"x-codex-installation-id":"i","turn_id":"t"},
             "input":[
               {"type":"message","id":"msg_1","role":"developer","content":[{"type":"input_text","text":"Be a coding agent."}]},
               {"type":"message","id":"msg_2","role":"user","content":[{"type":"input_text","text":"Say hello"}],
                "internal_chat_message_metadata_passthrough":{"turn_id":"t"}}],
             "tools":[
               {"type":"function","name":"exec_command","strict":false,"parameters":{"type":"object","properties":{"cmd":{"type":"string"}}}},
               {"type":"namespace","name":"multi_agent_v1","tools":[{"type":"function","name":"close_agent"}]},
               {"type":"web_search","external_web_access":false}]}
            """).Value;

        Assert.Equal("exec_command", Assert.Single(decoded.Chat.Tools).Name);
        Assert.Equal(["tools.namespace", "tools.web_search"], decoded.DroppedHints);
        Assert.Equal("Be a coding agent.", Assert.Single(decoded.Chat.System).Text);
        Assert.Equal(ChatRole.User, Assert.Single(decoded.Chat.Messages).Role);
        var metadata = Assert.Single(decoded.Chat.Extensions.Items, x => x.Name == "client_metadata");
        Assert.Equal(WireFormat.OpenAIResponses, metadata.Format);
        Assert.False(metadata.MustHonor);
    }

    [Fact]
    public void Decode_PreviousResponseId_SurfacedAndMustBeHonored()
    {
        var decoded = Decode("""{"model":"m","input":"x","previous_response_id":"resp_1","store":false}""").Value;

        Assert.Equal(("resp_1", false), (decoded.PreviousResponseId, decoded.Store));
        Assert.True(Assert.Single(decoded.Chat.Extensions.Items, x => x.Name == "previous_response_id").MustHonor);
    }

    [Theory]
    [InlineData("""{"input":"x"}""", "model")]
    [InlineData("""{"model":"m"}""", "input")]
    [InlineData("""{"model":"m","input":42}""", "input")]
    [InlineData("""{"model":"m","input":"x","frequency_penalty":1}""", "frequency_penalty")]
    [InlineData("""{"model":"m","input":"x","temperature":"hot"}""", "temperature")]
    [InlineData("""{"model":"m","input":"x","temperature":3}""", "temperature")]
    [InlineData("""{"model":"m","input":"x","max_output_tokens":1.5}""", "max_output_tokens")]
    [InlineData("""{"model":"m","input":[{"role":"robot","content":"x"}]}""", "input[0].role")]
    [InlineData("""{"model":"m","input":[{"role":"user","content":[{"type":"input_image"}]}]}""", "input[0].content[0].image_url")]
    [InlineData("""{"model":"m","input":[{"type":"function_call","name":"f","arguments":"{}"}]}""", "input[0].call_id")]
    [InlineData("""{"model":"m","input":[{"type":"function_call_output","call_id":"c"}]}""", "input[0].output")]
    [InlineData("""{"model":"m","input":[{"type":"web_search_call","id":"ws_1"}]}""", "input[0].type")]
    [InlineData("""{"model":"m","input":"x","tools":[{"type":"function","function":{"name":"f"}}]}""", "tools[0].name")]
    [InlineData("""{"model":"m","input":"x","tools":[{"type":"function","name":"f"}],"tool_choice":{"type":"function","name":"g"}}""", "tool_choice.name")]
    [InlineData("""{"model":"m","input":"x","text":{"format":{"type":"json_schema","name":"n"}}}""", "text.format.schema")]
    [InlineData("""{"model":"m","input":"x","text":{"format":{"type":"yaml"}}}""", "text.format.type")]
    [InlineData("""{"model":"m","input":"x","reasoning":{"effort":"max"}}""", "reasoning.effort")]
    [InlineData("""{"model":"m","input":"x","client_metadata":"codex"}""", "client_metadata")]
    public void Decode_MalformedField_400NamingIt(string json, string param) =>
        Assert.Equal(param, Refusal(json).Param);

    [Fact]
    public void Decode_NotJson_400()
    {
        var error = Refusal("{\"model\":");

        Assert.Equal(ChatErrorKind.InvalidRequest, error.Kind);
    }
}
