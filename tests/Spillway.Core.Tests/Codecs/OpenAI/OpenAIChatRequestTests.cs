using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Spillway.Core.Chat;
using Spillway.Core.Codecs.Anthropic;
using Spillway.Core.Codecs.OpenAI;
using Spillway.Core.Tests.Chat;
using Spillway.TestSupport;

namespace Spillway.Core.Tests.Codecs.OpenAI;

public class OpenAIChatRequestTests
{
    [Fact]
    public void Decode_ToolLoop_CanonicalMessagesToolsAndSettings()
    {
        var request = OpenAIChatRequestDecoder.Decode(Encoding.UTF8.GetBytes(RequestSamples.OpenAIToolLoop)).Value;

        Assert.Equal("You are a weather bot.", Assert.Single(request.System).Text);
        Assert.Equal(
            [ChatRole.User, ChatRole.Assistant, ChatRole.Tool, ChatRole.Tool, ChatRole.User],
            request.Messages.Select(m => m.Role));
        Assert.Equal(new ImagePart(new ImageDataSource("image/png", "iVBORw0KGgo=")), request.Messages[0].Content[1]);
        Assert.Equal(new ImagePart(new ImageUrlSource("https://example.com/cat.jpg")), request.Messages[4].Content[0]);
        Assert.Equal(new ToolCallPart("call_1", "get_weather", "{\"location\":\"Paris\"}"), request.Messages[1].Content[0]);
        var result = Assert.IsType<ToolResultPart>(Assert.Single(request.Messages[2].Content));
        Assert.Equal(("call_1", "18°C, cloudy"), (result.ToolCallId, Assert.IsType<TextPart>(Assert.Single(result.Content)).Text));
        Assert.Equal(new ChatToolChoice(ToolChoiceMode.Required), request.ToolChoice);
        Assert.Equal((false, 512, 0.2, "user-42"), (request.ParallelToolCalls, request.MaxOutputTokens, request.Temperature, request.UserId));
        Assert.Equal(["END", "STOP"], request.StopSequences);
        Assert.True(request.Stream && request.IncludeUsage);
        Assert.Equal(
            "{\"type\":\"object\",\"properties\":{\"location\":{\"type\":\"string\"},\"station\":{\"type\":\"integer\",\"maximum\":12345678901234567890}},\"required\":[\"location\"]}",
            request.Tools[0].InputSchema.ToString());
    }

    [Fact]
    public void DecodeThenEncode_ToolLoop_SameBody()
    {
        var request = OpenAIChatRequestDecoder.Decode(Encoding.UTF8.GetBytes(RequestSamples.OpenAIToolLoop)).Value;

        var encoded = OpenAIChatRequestEncoder.Encode(request, useMaxCompletionTokens: true).Value;

        JsonAssert.Equal(RequestSamples.OpenAIToolLoop, Encoding.UTF8.GetString(encoded.Body));
    }

    [Fact]
    public void Decode_DeveloperAndSystemMessages_AllInSystemPrompt()
    {
        const string Body = """
            {"model":"o3","messages":[{"role":"developer","content":"Be brief."},{"role":"system","content":[{"type":"text","text":"Use metric."}]},{"role":"user","content":"hi"}]}
            """;

        var request = OpenAIChatRequestDecoder.Decode(Encoding.UTF8.GetBytes(Body)).Value;
        var anthropic = AnthropicRequestEncoder.Encode(request, 100).Value;

        Assert.Equal(["Be brief.", "Use metric."], request.System.Select(p => p.Text));
        Assert.Contains(
            "\"system\":[{\"type\":\"text\",\"text\":\"Be brief.\"},{\"type\":\"text\",\"text\":\"Use metric.\"}]",
            Encoding.UTF8.GetString(anthropic.Body),
            StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_AnthropicSystemBlocks_OneSystemStringJoinedByBlankLines()
    {
        const string Body = """
            {"model":"m","max_tokens":100,"system":[{"type":"text","text":"Header."},{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral"}}],
             "messages":[{"role":"user","content":"hi"}]}
            """;
        var request = AnthropicRequestDecoder.Decode(Encoding.UTF8.GetBytes(Body)).Value;

        var encoded = OpenAIChatRequestEncoder.Encode(request).Value;

        JsonAssert.Equal(
            """{"model":"m","messages":[{"role":"system","content":"Header.\n\nBe brief."},{"role":"user","content":"hi"}],"max_tokens":100}""",
            Encoding.UTF8.GetString(encoded.Body));
        Assert.Equal(["cache_control"], encoded.DroppedHints);
    }

    [Fact]
    public void Encode_UserIdLongerThan64_SentAsItsSha256()
    {
        var userId = "{\"device_id\":\"" + new string('d', 64) + "\",\"account_uuid\":\"\",\"session_id\":\"8639978c-d915-4fd3-a966-a82483862aac\"}";
        var body = "{\"model\":\"m\",\"max_tokens\":10,\"metadata\":{\"user_id\":" + JsonSerializer.Serialize(userId) + "},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        var request = AnthropicRequestDecoder.Decode(Encoding.UTF8.GetBytes(body)).Value;

        var encoded = OpenAIChatRequestEncoder.Encode(request).Value;

        using var json = JsonDocument.Parse(encoded.Body);
        var user = json.RootElement.GetProperty("user").GetString()!;
        Assert.Equal(64, user.Length);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(userId))), user);
    }

    [Theory]
    [InlineData("\"auto\"", ToolChoiceMode.Auto, null, """{"type":"auto"}""")]
    [InlineData("\"none\"", ToolChoiceMode.None, null, """{"type":"none"}""")]
    [InlineData("\"required\"", ToolChoiceMode.Required, null, """{"type":"any"}""")]
    [InlineData("""{"type":"function","function":{"name":"f"}}""", ToolChoiceMode.Named, "f", """{"type":"tool","name":"f"}""")]
    public void ToolChoice_Forms_MappedToAnthropic(string choice, ToolChoiceMode mode, string? name, string anthropicChoice)
    {
        var body = """{"model":"g","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}],"tool_choice":""" +
                   choice + "}";

        var request = OpenAIChatRequestDecoder.Decode(Encoding.UTF8.GetBytes(body)).Value;
        var anthropic = Encoding.UTF8.GetString(AnthropicRequestEncoder.Encode(request, 10).Value.Body);

        Assert.Equal(new ChatToolChoice(mode, name), request.ToolChoice);
        Assert.Contains("\"tool_choice\":" + anthropicChoice, anthropic, StringComparison.Ordinal);
    }

    [Fact]
    public void AllowedToolsChoice_ToAnthropic_Refused()
    {
        const string Body = """
            {"model":"g","messages":[{"role":"user","content":"x"}],"tool_choice":{"type":"allowed_tools","allowed_tools":{"mode":"auto","tools":[]}}}
            """;
        var request = OpenAIChatRequestDecoder.Decode(Encoding.UTF8.GetBytes(Body)).Value;

        var result = AnthropicRequestEncoder.Encode(request, 10);

        Assert.Equal("tool_choice", result.Error!.Param);
    }

    [Fact]
    public void Decode_MaxTokensAndMaxCompletionTokens_CompletionTokensWin()
    {
        var request = OpenAIChatRequestDecoder.Decode(
            """{"model":"g","messages":[{"role":"user","content":"x"}],"max_tokens":100,"max_completion_tokens":200}"""u8.ToArray()).Value;

        Assert.Equal(200, request.MaxOutputTokens);
        Assert.Contains("\"max_tokens\":200", Encoding.UTF8.GetString(OpenAIChatRequestEncoder.Encode(request).Value.Body), StringComparison.Ordinal);
    }

    [Fact]
    public void ImageDetailAndUnknownFields_KeptForOpenAIDroppedForAnthropic()
    {
        const string Body = """
            {"model":"g","messages":[{"role":"user","name":"ann","content":[{"type":"image_url","image_url":{"url":"https://x/y.png","detail":"low"}}]}],
             "logit_bias":{"50256":-100},"stream_options":{"include_obfuscation":false},"stream":true}
            """;
        var request = OpenAIChatRequestDecoder.Decode(Encoding.UTF8.GetBytes(Body)).Value;

        var openAI = OpenAIChatRequestEncoder.Encode(request).Value;
        var anthropic = AnthropicRequestEncoder.Encode(request, 10).Value;

        Assert.False(request.IncludeUsage);
        JsonAssert.Equal(Body, Encoding.UTF8.GetString(openAI.Body));
        Assert.Equal(["image_url.detail", "name", "stream_options.include_obfuscation", "logit_bias"], anthropic.DroppedHints);
    }

    [Theory]
    [InlineData("""{"messages":[]}""", "model")]
    [InlineData("""{"model":"g"}""", "messages")]
    [InlineData("""{"model":"g","messages":[{"role":"function","name":"f","content":"x"}]}""", "messages[0].role")]
    [InlineData("""{"model":"g","messages":[{"role":"tool","content":"x"}]}""", "messages[0].tool_call_id")]
    [InlineData("""{"model":"g","messages":[{"role":"system","content":[{"type":"image_url","image_url":{"url":"u"}}]}]}""", "messages[0].content[0]")]
    public void Decode_InvalidRequest_ErrorNamesTheField(string body, string param)
    {
        var result = OpenAIChatRequestDecoder.Decode(Encoding.UTF8.GetBytes(body));

        Assert.Equal((400, param), (result.Error!.Status, result.Error.Param));
    }

    [Fact]
    public void ToolResultWithImage_ToOpenAI_ImageFollowsInUserMessage()
    {
        const string Body = """
            {"model":"c","max_tokens":10,"messages":[
              {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"screenshot","input":{}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","is_error":true,"content":[
                {"type":"text","text":"partial"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}}]}]}]}
            """;
        var request = AnthropicRequestDecoder.Decode(Encoding.UTF8.GetBytes(Body)).Value;

        var encoded = OpenAIChatRequestEncoder.Encode(request).Value;

        Assert.Equal(["is_error"], encoded.DroppedHints);
        Assert.Equal(
            """{"model":"c","messages":[{"role":"assistant","content":null,"tool_calls":[{"id":"toolu_1","type":"function","function":{"name":"screenshot","arguments":"{}"}}]},""" +
            """{"role":"tool","tool_call_id":"toolu_1","content":"partial"},""" +
            """{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]}],"max_tokens":10}""",
            Encoding.UTF8.GetString(encoded.Body));
    }

    [Fact]
    public void ToolResultOfSeveralTextBlocks_ToOpenAI_OneStringJoinedByNewlines()
    {
        const string Body = """
            {"model":"c","max_tokens":10,"messages":[
              {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"read","input":{}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[
                {"type":"text","text":"line one"},{"type":"text","text":"line two","cache_control":{"type":"ephemeral"}}]}]}]}
            """;
        var request = AnthropicRequestDecoder.Decode(Encoding.UTF8.GetBytes(Body)).Value;

        var encoded = OpenAIChatRequestEncoder.Encode(request).Value;

        Assert.Contains(
            """{"role":"tool","tool_call_id":"toolu_1","content":"line one\nline two"}""",
            Encoding.UTF8.GetString(encoded.Body),
            StringComparison.Ordinal);
        Assert.Equal(["cache_control"], encoded.DroppedHints);
    }
}
