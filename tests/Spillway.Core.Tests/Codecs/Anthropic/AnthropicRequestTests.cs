using System.Text;
using System.Text.Json.Nodes;
using Spillway.Core.Chat;
using Spillway.Core.Codecs.Anthropic;
using Spillway.Core.Codecs.OpenAI;
using Spillway.Core.Tests.Chat;
using Spillway.TestSupport;

namespace Spillway.Core.Tests.Codecs.Anthropic;

public class AnthropicRequestTests
{
    [Fact]
    public void Decode_ClaudeCodeRequest_CanonicalFieldsAndHintsKept()
    {
        var request = AnthropicRequestDecoder.Decode(
            Encoding.UTF8.GetBytes(RequestSamples.ClaudeCode), RequestSamples.ClaudeCodeBeta).Value;

        Assert.Equal(("claude-sonnet-4-5-20250929", 32000, true), (request.Model, request.MaxOutputTokens, request.Stream));
        Assert.Equal(2, request.System.Count);
        Assert.All(request.System, p => Assert.Equal(
            "{\"type\":\"ephemeral\"}", p.Extensions.Find(WireFormat.Anthropic, "cache_control")?.ToString()));
        Assert.Equal(new ChatThinking(ThinkingMode.Enabled, 31999), request.Thinking);
        Assert.Equal("{\"device_id\":\"abc\",\"session_id\":\"123\"}", request.UserId);
        Assert.Equal(["Bash", "WebFetch"], request.Tools.Select(t => t.Name));
        Assert.Equal("true", request.Tools[1].Extensions.Find(WireFormat.Anthropic, "defer_loading")?.ToString());
        Assert.Equal(
            "{\"edits\":[{\"type\":\"clear_thinking_20251015\",\"keep\":\"all\"}]}",
            request.Extensions.Find(WireFormat.Anthropic, "context_management")?.ToString());
        var message = Assert.Single(request.Messages);
        Assert.Equal(ChatRole.User, message.Role);
        Assert.Equal("List the files.", Assert.IsType<TextPart>(Assert.Single(message.Content)).Text);
    }

    [Fact]
    public void DecodeThenEncode_ClaudeCodeRequest_SameBodyAndBetaHeader()
    {
        var request = AnthropicRequestDecoder.Decode(
            Encoding.UTF8.GetBytes(RequestSamples.ClaudeCode), RequestSamples.ClaudeCodeBeta).Value;

        var encoded = AnthropicRequestEncoder.Encode(request, defaultMaxTokens: 4096).Value;

        JsonAssert.Equal(RequestSamples.ClaudeCode, Encoding.UTF8.GetString(encoded.Body));
        Assert.Equal([KeyValuePair.Create("anthropic-beta", RequestSamples.ClaudeCodeBeta)], encoded.Headers);
        Assert.Empty(encoded.DroppedHints);
    }

    [Fact]
    public void DecodeThenEncode_ToolLoop_SameBody()
    {
        var request = AnthropicRequestDecoder.Decode(Encoding.UTF8.GetBytes(RequestSamples.AnthropicToolLoop)).Value;

        var encoded = AnthropicRequestEncoder.Encode(request, 4096).Value;

        Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.Tool, ChatRole.User], request.Messages.Select(m => m.Role));
        JsonAssert.Equal(RequestSamples.AnthropicToolLoop, Encoding.UTF8.GetString(encoded.Body), WithContentArrays);
    }

    [Fact]
    public void Decode_MissingMaxTokens_ClearError()
    {
        var result = AnthropicRequestDecoder.Decode("""{"model":"claude-x","messages":[{"role":"user","content":"hi"}]}"""u8.ToArray());

        Assert.False(result.IsSuccess);
        Assert.Equal((400, ChatErrorKind.InvalidRequest, "max_tokens"), (result.Error!.Status, result.Error.Kind, result.Error.Param));
        Assert.Equal("max_tokens: Field required", result.Error.Message);
    }

    [Fact]
    public void DecodeCountTokens_NoMaxTokens_Decodes()
    {
        var result = AnthropicRequestDecoder.DecodeCountTokens(
            """{"model":"claude-x","system":"be brief","messages":[{"role":"user","content":"hi"}]}"""u8.ToArray());

        Assert.True(result.IsSuccess);
        Assert.Equal(("claude-x", (int?)null, "be brief"), (result.Value.Model, result.Value.MaxOutputTokens, result.Value.System[0].Text));
    }

    [Fact]
    public void DecodeCountTokens_MissingMessages_SameErrorAsMessages()
    {
        var result = AnthropicRequestDecoder.DecodeCountTokens("""{"model":"claude-x"}"""u8.ToArray());

        Assert.Equal((400, "messages"), (result.Error!.Status, result.Error.Param));
    }

    [Fact]
    public void Encode_NoLimitInCanonicalRequest_CallerDefaultUsed()
    {
        var request = OpenAIChatRequestDecoder.Decode("""{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}"""u8.ToArray()).Value;

        var encoded = AnthropicRequestEncoder.Encode(request, defaultMaxTokens: 8192).Value;

        Assert.Equal(
            """{"model":"gpt-4o","max_tokens":8192,"messages":[{"role":"user","content":"hi"}]}""",
            Encoding.UTF8.GetString(encoded.Body));
    }

    [Fact]
    public void DecodeThenEncode_ThinkingAndRedactedThinking_EchoedUnchanged()
    {
        const string Body = """
            {"model":"claude-x","max_tokens":2000,"thinking":{"type":"enabled","budget_tokens":1024},"messages":[
              {"role":"user","content":"Weather?"},
              {"role":"assistant","content":[
                {"type":"thinking","thinking":"Need the tool.","signature":"EqQBCgIYAhIM"},
                {"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix"},
                {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"Sunny","is_error":false}]}]}
            """;
        var request = AnthropicRequestDecoder.Decode(Encoding.UTF8.GetBytes(Body)).Value;

        var encoded = AnthropicRequestEncoder.Encode(request, 4096).Value;

        var assistant = request.Messages[1].Content;
        Assert.Equal(new ThinkingPart("Need the tool.", "EqQBCgIYAhIM"), assistant[0]);
        Assert.Equal(new RedactedThinkingPart("EmwKAhgBEgy3va3pzix"), assistant[1]);
        JsonAssert.Equal(Body.Replace(",\"is_error\":false", "", StringComparison.Ordinal), Encoding.UTF8.GetString(encoded.Body));
    }

    [Fact]
    public void Encode_UnsignedThinkingFromAnotherProvider_DroppedAndReported()
    {
        var request = new ChatRequest
        {
            Model = "claude-x",
            Messages =
            [
                new ChatMessage(ChatRole.User, [new TextPart("hi")]),
                new ChatMessage(ChatRole.Assistant, [new ThinkingPart("reasoning from elsewhere"), new TextPart("hello")]),
                new ChatMessage(ChatRole.User, [new TextPart("and?")]),
            ],
        };

        var encoded = AnthropicRequestEncoder.Encode(request, 100).Value;

        Assert.Equal(["thinking"], encoded.DroppedHints);
        Assert.Contains("""{"role":"assistant","content":[{"type":"text","text":"hello"}]}""", Encoding.UTF8.GetString(encoded.Body), StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_ToolArgumentsNotAnObject_Refused()
    {
        var request = new ChatRequest
        {
            Model = "claude-x",
            Messages = [new ChatMessage(ChatRole.Assistant, [new ToolCallPart("call_1", "f", "{\"a\":")])],
        };

        var result = AnthropicRequestEncoder.Encode(request, 100);

        Assert.Equal(
            "messages[0].content[0]: the arguments of tool call 'call_1' are not a JSON object, which Anthropic requires.",
            result.Error!.Message);
    }

    [Fact]
    public void ServerTool_ToOpenAI_Refused()
    {
        const string Body = """
            {"model":"claude-x","max_tokens":100,"messages":[{"role":"user","content":"news?"}],
             "tools":[{"type":"web_search_20250305","name":"web_search","max_uses":3}]}
            """;
        var request = AnthropicRequestDecoder.Decode(Encoding.UTF8.GetBytes(Body)).Value;

        var openAI = OpenAIChatRequestEncoder.Encode(request);
        var anthropic = AnthropicRequestEncoder.Encode(request, 100).Value;

        Assert.Equal("'server-tool' (Anthropic) cannot be expressed in the OpenAI format of the upstream.", openAI.Error!.Message);
        JsonAssert.Equal(Body, Encoding.UTF8.GetString(anthropic.Body));
    }

    [Theory]
    [InlineData("""{"type":"auto","disable_parallel_tool_use":true}""", ToolChoiceMode.Auto, null, false, "\"auto\"")]
    [InlineData("""{"type":"any"}""", ToolChoiceMode.Required, null, null, "\"required\"")]
    [InlineData("""{"type":"none"}""", ToolChoiceMode.None, null, null, "\"none\"")]
    [InlineData("""{"type":"tool","name":"f"}""", ToolChoiceMode.Named, "f", null, """{"type":"function","function":{"name":"f"}}""")]
    public void ToolChoice_DecodedAndMappedToOpenAI(string choice, ToolChoiceMode mode, string? name, bool? parallel, string openAIChoice)
    {
        var body = """{"model":"c","max_tokens":10,"messages":[{"role":"user","content":"x"}],"tools":[{"name":"f","input_schema":{"type":"object"}}],"tool_choice":""" +
                   choice + "}";

        var request = AnthropicRequestDecoder.Decode(Encoding.UTF8.GetBytes(body)).Value;
        var openAI = Encoding.UTF8.GetString(OpenAIChatRequestEncoder.Encode(request).Value.Body);
        var back = Encoding.UTF8.GetString(AnthropicRequestEncoder.Encode(request, 10).Value.Body);

        Assert.Equal(new ChatToolChoice(mode, name), request.ToolChoice);
        Assert.Equal(parallel, request.ParallelToolCalls);
        Assert.Contains("\"tool_choice\":" + openAIChoice, openAI, StringComparison.Ordinal);
        Assert.Contains("\"tool_choice\":" + choice, back, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type":"adaptive"}""", ThinkingMode.Adaptive)]
    [InlineData("""{"type":"disabled"}""", ThinkingMode.Disabled)]
    public void Thinking_OtherModes_RoundTrip(string thinking, ThinkingMode mode)
    {
        var body = """{"model":"c","max_tokens":10,"messages":[{"role":"user","content":"x"}],"thinking":""" + thinking + "}";

        var request = AnthropicRequestDecoder.Decode(Encoding.UTF8.GetBytes(body)).Value;

        Assert.Equal(mode, request.Thinking!.Mode);
        JsonAssert.Equal(body, Encoding.UTF8.GetString(AnthropicRequestEncoder.Encode(request, 10).Value.Body));
    }

    [Fact]
    public void Decode_NotJson_InvalidRequest()
    {
        var result = AnthropicRequestDecoder.Decode("{\"model\":"u8.ToArray());

        Assert.Equal(ChatErrorKind.InvalidRequest, result.Error!.Kind);
        Assert.StartsWith("The request body is not valid JSON", result.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"model\":42,\"max_tokens\":64", "model", "model: Input should be a valid string")]
    [InlineData("\"model\":\"\",\"max_tokens\":64", "model", "model: the model name is empty")]
    [InlineData("\"model\":\"m\\r\\nX: 1\",\"max_tokens\":64", "model", "contains control characters")]
    [InlineData("\"model\":\"m\",\"max_tokens\":\"100\"", "max_tokens", "max_tokens: Input should be a whole number from 1 to 2147483647")]
    [InlineData("\"model\":\"m\",\"max_tokens\":0", "max_tokens", "whole number from 1")]
    [InlineData("\"model\":\"m\",\"max_tokens\":-5", "max_tokens", "whole number from 1")]
    [InlineData("\"model\":\"m\",\"max_tokens\":1.5", "max_tokens", "whole number from 1")]
    [InlineData("\"model\":\"m\",\"max_tokens\":1e308", "max_tokens", "whole number from 1")]
    [InlineData("\"model\":\"m\",\"max_tokens\":1000000000000", "max_tokens", "whole number from 1")]
    [InlineData("\"model\":\"m\",\"max_tokens\":64,\"stream\":\"yes\"", "stream", "stream: Input should be a valid boolean")]
    [InlineData("\"model\":\"m\",\"max_tokens\":64,\"temperature\":\"hot\"", "temperature", "temperature: Input should be a valid number")]
    [InlineData("\"model\":\"m\",\"max_tokens\":64,\"top_k\":2.5", "top_k", "top_k: Input should be a whole number")]
    [InlineData("\"model\":\"m\",\"max_tokens\":64,\"model\":\"n\"", "model", "model: the field appears more than once")]
    public void Decode_FieldOfTheWrongTypeOrValue_RefusedNamingIt(string fields, string param, string message)
    {
        var result = AnthropicRequestDecoder.Decode(
            Encoding.UTF8.GetBytes("{" + fields + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));

        Assert.Equal(param, result.Error!.Param);
        Assert.Contains(message, result.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]", "messages: at least one message is required")]
    [InlineData("{\"role\":\"user\"}", "messages: Input should be a valid list")]
    public void Decode_MessagesEmptyOrNotAList_Refused(string messages, string message)
    {
        var result = AnthropicRequestDecoder.Decode(Encoding.UTF8.GetBytes("{\"model\":\"m\",\"max_tokens\":64,\"messages\":" + messages + "}"));

        Assert.Equal(message, result.Error!.Message);
    }

    [Theory]
    [InlineData("\"model\":\"\\ud800\"")]
    [InlineData("\"model\":\"m\",\"system\":\"a\\udc00\"")]
    public void Decode_UnpairedSurrogateEscape_InvalidRequest(string fields)
    {
        var result = AnthropicRequestDecoder.Decode(
            Encoding.UTF8.GetBytes("{" + fields + ",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));

        Assert.Contains("unpaired surrogate", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_InvalidUtf8_InvalidRequest()
    {
        byte[] body = [.. "{\"model\":\"m\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\""u8, 0xC3, 0x28, .. "\"}]}"u8];

        Assert.Equal("The request body is not valid UTF-8.", AnthropicRequestDecoder.Decode(body).Error!.Message);
    }

    /// <summary>The encoder writes a single hint-free text block as a plain string; the same content either way.</summary>
    private static JsonNode? WithContentArrays(JsonNode? node)
    {
        foreach (var message in node!["messages"]!.AsArray())
        {
            if (message!["content"] is JsonValue text)
            {
                message["content"] = new JsonArray(
                    new JsonObject { ["type"] = "text", ["text"] = text.GetValue<string>() });
            }

            foreach (var block in message["content"]!.AsArray())
            {
                if (block!["content"] is JsonValue inner)
                {
                    block["content"] = new JsonArray(
                        new JsonObject { ["type"] = "text", ["text"] = inner.GetValue<string>() });
                }
            }
        }

        return node;
    }
}
