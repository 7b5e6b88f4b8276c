using System.Text;
using Spillway.Core.Chat;
using Spillway.Core.Codecs.Anthropic;
using Spillway.Core.Codecs.OpenAI;
using Spillway.TestSupport;

namespace Spillway.Core.Tests.Chat;

public class CrossFormatRequestTests
{
    [Fact]
    public void OpenAIToAnthropic_ToolLoopWithImages_ExactBody()
    {
        var request = OpenAIChatRequestDecoder.Decode(Encoding.UTF8.GetBytes(RequestSamples.OpenAIToolLoop)).Value;

        var encoded = AnthropicRequestEncoder.Encode(request, defaultMaxTokens: 4096).Value;

        Assert.Equal(
            """{"model":"gpt-4o","max_tokens":512,"system":"You are a weather bot.","messages":[""" +
            """{"role":"user","content":[{"type":"text","text":"What's the weather where this photo was taken?"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}]},""" +
            """{"role":"assistant","content":[{"type":"tool_use","id":"call_1","name":"get_weather","input":{"location":"Paris"}},{"type":"tool_use","id":"call_2","name":"get_time","input":{"tz":"Europe/Paris"}}]},""" +
            """{"role":"user","content":[{"type":"tool_result","tool_use_id":"call_1","content":"18°C, cloudy"},{"type":"tool_result","tool_use_id":"call_2","content":"14:05"},""" +
            """{"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}},{"type":"text","text":"And here?"}]}]""" +
            ""","tools":[{"name":"get_weather","description":"Current weather","input_schema":{"type":"object","properties":{"location":{"type":"string"},"station":{"type":"integer","maximum":12345678901234567890}},"required":["location"]}},""" +
            """{"name":"get_time","input_schema":{"type":"object","properties":{"tz":{"type":"string"}}}}]""" +
            ""","tool_choice":{"type":"any","disable_parallel_tool_use":true},"stop_sequences":["END","STOP"],"temperature":0.2,"stream":true""" +
            ""","metadata":{"user_id":"user-42"}}""",
            Encoding.UTF8.GetString(encoded.Body));
        Assert.Empty(encoded.DroppedHints);
    }

    [Fact]
    public void AnthropicToOpenAI_ToolLoopWithImage_ExactBody()
    {
        var request = AnthropicRequestDecoder.Decode(Encoding.UTF8.GetBytes(RequestSamples.AnthropicToolLoop)).Value;

        var encoded = OpenAIChatRequestEncoder.Encode(request).Value;

        Assert.Equal(
            """{"model":"claude-sonnet-4-5","messages":[{"role":"system","content":"You are a weather bot."},""" +
            """{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/4AAQ"}},{"type":"text","text":"Weather here?"}]},""" +
            """{"role":"assistant","content":"Let me check.","tool_calls":[{"id":"toolu_1","type":"function","function":{"name":"get_weather","arguments":"{\"location\":\"Paris\"}"}}]},""" +
            """{"role":"tool","tool_call_id":"toolu_1","content":"18°C"},{"role":"user","content":"Thanks, and tomorrow?"}]""" +
            ""","tools":[{"type":"function","function":{"name":"get_weather","description":"Current weather","parameters":{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}}}]""" +
            ""","tool_choice":{"type":"function","function":{"name":"get_weather"}},"stop":["END"],"max_tokens":1024,"temperature":0.5}""",
            Encoding.UTF8.GetString(encoded.Body));
        Assert.Equal(["top_k"], encoded.DroppedHints);
    }

    [Theory]
    [InlineData(RequestSamples.OpenAIToolLoop)]
    public void OpenAIThroughAnthropicAndBack_SameConversation(string body)
    {
        var original = OpenAIChatRequestDecoder.Decode(Encoding.UTF8.GetBytes(body)).Value;
        var anthropic = AnthropicRequestEncoder.Encode(original, 4096).Value;
        var back = AnthropicRequestDecoder.Decode(anthropic.Body).Value;

        var again = OpenAIChatRequestEncoder.Encode(back with { IncludeUsage = true }, useMaxCompletionTokens: true).Value;

        JsonAssert.Equal(
            Encoding.UTF8.GetString(OpenAIChatRequestEncoder.Encode(original, useMaxCompletionTokens: true).Value.Body),
            Encoding.UTF8.GetString(again.Body));
    }

    [Fact]
    public void ClaudeCodeToOpenAI_HintsDroppedAndReported()
    {
        var request = AnthropicRequestDecoder.Decode(
            Encoding.UTF8.GetBytes(RequestSamples.ClaudeCode), RequestSamples.ClaudeCodeBeta).Value;

        var encoded = OpenAIChatRequestEncoder.Encode(request with { IncludeUsage = true }).Value;

        Assert.Equal(
            ["cache_control", "defer_loading", "thinking", "anthropic-beta", "context_management"],
            encoded.DroppedHints);
        Assert.Equal(
            """{"model":"claude-sonnet-4-5-20250929","messages":[{"role":"system","content":""" +
            "\"You are Claude Code, Anthropic's official CLI for Claude.\\n\\nWorking directory: /repo\"}," +
            """{"role":"user","content":"List the files."}],"tools":[""" +
            """{"type":"function","function":{"name":"Bash","description":"Run a command","parameters":{"type":"object","properties":{"command":{"type":"string"}},"required":["command"],"additionalProperties":false,"$schema":"http://json-schema.org/draft-07/schema#"}}},""" +
            """{"type":"function","function":{"name":"WebFetch","description":"Fetch a URL","parameters":{"type":"object","properties":{"url":{"type":"string","format":"uri"}},"required":["url"]}}}]""" +
            ""","max_tokens":32000,"user":"{\"device_id\":\"abc\",\"session_id\":\"123\"}","stream":true,"stream_options":{"include_usage":true}}""",
            Encoding.UTF8.GetString(encoded.Body));
    }

    [Fact]
    public void AnthropicDocumentToOpenAI_Refused()
    {
        const string Body = """
            {"model":"claude-x","max_tokens":100,"messages":[{"role":"user","content":[
              {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0x"}},
              {"type":"text","text":"Summarize."}]}]}
            """;
        var request = AnthropicRequestDecoder.Decode(Encoding.UTF8.GetBytes(Body)).Value;

        var result = OpenAIChatRequestEncoder.Encode(request);

        Assert.False(result.IsSuccess);
        Assert.Equal(400, result.Error!.Status);
        Assert.Equal("messages[0].content[0]", result.Error.Param);
        Assert.Equal(
            "messages[0].content[0]: 'document' content (Anthropic) cannot be sent to an OpenAI-format upstream.",
            result.Error.Message);
    }

    [Fact]
    public void OpenAIInputAudioToAnthropic_Refused()
    {
        const string Body = """
            {"model":"gpt-4o-audio-preview","messages":[{"role":"user","content":[
              {"type":"input_audio","input_audio":{"data":"UklGRg==","format":"wav"}}]}]}
            """;
        var request = OpenAIChatRequestDecoder.Decode(Encoding.UTF8.GetBytes(Body)).Value;

        var result = AnthropicRequestEncoder.Encode(request, 1024);

        Assert.Equal(
            "messages[0].content[0]: 'input_audio' content (OpenAI) cannot be sent to an Anthropic upstream.",
            result.Error!.Message);
        Assert.Equal(ChatErrorKind.InvalidRequest, result.Error.Kind);
    }

    [Theory]
    [InlineData("\"n\":2", "'n' (OpenAI) cannot be expressed in the Anthropic format of the upstream.")]
    [InlineData("\"modalities\":[\"text\",\"audio\"]", "'modalities' (OpenAI) cannot be expressed in the Anthropic format of the upstream.")]
    [InlineData("\"response_format\":{\"type\":\"json_object\"}", "response_format json_object has no Anthropic equivalent; use json_schema with a schema.")]
    public void OpenAIFieldsThatChangeTheAnswer_RefusedByAnthropic(string field, string message)
    {
        var body = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]," + field + "}";
        var request = OpenAIChatRequestDecoder.Decode(Encoding.UTF8.GetBytes(body)).Value;

        var result = AnthropicRequestEncoder.Encode(request, 1024);

        Assert.Equal(message, result.Error!.Message);
    }

    [Fact]
    public void OpenAITuningHints_DroppedAndReportedByAnthropic()
    {
        const string Body = """
            {"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"n":1,"service_tier":"flex","logprobs":true,
             "frequency_penalty":0.5,"seed":7,"reasoning_effort":"low"}
            """;
        var request = OpenAIChatRequestDecoder.Decode(Encoding.UTF8.GetBytes(Body)).Value;

        var encoded = AnthropicRequestEncoder.Encode(request, 1024).Value;

        Assert.Equal(["seed", "n", "service_tier", "logprobs", "frequency_penalty", "reasoning_effort"], encoded.DroppedHints);
        Assert.Equal(
            """{"model":"gpt-4o","max_tokens":1024,"messages":[{"role":"user","content":"hi"}]}""",
            Encoding.UTF8.GetString(encoded.Body));
    }

    [Fact]
    public void JsonSchemaBothWays_SchemaBytesKept()
    {
        const string Body = """
            {"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],
             "response_format":{"type":"json_schema","json_schema":{"name":"city","strict":true,"schema":{"type":"object","properties":{"pop":{"type":"integer","maximum":90071992547409931}}}}}}
            """;
        var request = OpenAIChatRequestDecoder.Decode(Encoding.UTF8.GetBytes(Body)).Value;

        var anthropic = AnthropicRequestEncoder.Encode(request, 1024).Value;
        var back = OpenAIChatRequestEncoder.Encode(AnthropicRequestDecoder.Decode(anthropic.Body).Value).Value;

        Assert.Contains(
            "\"" + """output_config":{"format":{"type":"json_schema","schema":{"type":"object","properties":{"pop":{"type":"integer","maximum":90071992547409931}}}}}""",
            Encoding.UTF8.GetString(anthropic.Body),
            StringComparison.Ordinal);
        Assert.Equal(["response_format.name"], anthropic.DroppedHints);
        Assert.Contains(
            "\"" + """response_format":{"type":"json_schema","json_schema":{"name":"response","schema":{"type":"object","properties":{"pop":{"type":"integer","maximum":90071992547409931}}}}}""",
            Encoding.UTF8.GetString(back.Body),
            StringComparison.Ordinal);
    }
}
