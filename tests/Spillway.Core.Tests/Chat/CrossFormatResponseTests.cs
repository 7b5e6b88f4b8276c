using System.Text;
using System.Text.Json.Nodes;
using Spillway.Core.Chat;
using Spillway.Core.Codecs.Anthropic;
using Spillway.Core.Codecs.OpenAI;
using Spillway.TestSupport;

namespace Spillway.Core.Tests.Chat;

public class CrossFormatResponseTests
{
    private static byte[] OpenAIBody => Encoding.UTF8.GetBytes(
        JsonAssert.BodyOf(Fixtures.ReadText("openai-chat-completion-200-with-ratelimit-headers.txt")));

    private static byte[] AnthropicBody => Encoding.UTF8.GetBytes(
        JsonAssert.BodyOf(Fixtures.ReadText("anthropic-messages-200-with-ratelimit-headers.txt")));

    [Fact]
    public void Anthropic_DecodeThenEncode_SameBody()
    {
        var response = AnthropicResponseDecoder.Decode(AnthropicBody).Value;

        var encoded = AnthropicResponseEncoder.Encode(response).Value;

        JsonAssert.Equal(Encoding.UTF8.GetString(AnthropicBody), Encoding.UTF8.GetString(encoded.Body));
    }

    [Fact]
    public void OpenAI_DecodeThenEncode_SameBodyAndUsage()
    {
        var response = OpenAIChatResponseDecoder.Decode(OpenAIBody).Value;

        var encoded = OpenAIChatResponseEncoder.Encode(response, created: 1).Value;

        // The recorded usage details list audio and prediction counts the canonical model does not carry (all 0).
        JsonAssert.Equal(Encoding.UTF8.GetString(OpenAIBody), Encoding.UTF8.GetString(encoded.Body), WithoutUsage);
        Assert.Equal(new TokenUsage(20, 18), OpenAIChatResponseDecoder.Decode(encoded.Body).Value.Usage);
    }

    [Fact]
    public void AnthropicToOpenAI_RecordedMessage_ExactBody()
    {
        var response = AnthropicResponseDecoder.Decode(AnthropicBody).Value;

        var encoded = OpenAIChatResponseEncoder.Encode(response, created: 1_700_000_000).Value;

        Assert.Equal(
            """{"id":"chatcmpl-01QgNtCXZKCJgpWHW3NEwmdP","object":"chat.completion","created":1700000000,"model":"claude-3-5-sonnet-20240620""" + "\"" +
            ""","choices":[{"index":0,"message":{"role":"assistant","content":"Hello! How can I assist you today? Is there anything specific you'd like to know or discuss?","refusal":null}""" +
            ""","logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":16,"completion_tokens":24,"total_tokens":40""" +
            ""","prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}}}""",
            Encoding.UTF8.GetString(encoded.Body));
        Assert.Empty(encoded.DroppedHints);
    }

    [Fact]
    public void OpenAIToAnthropic_RecordedCompletion_ExactBody()
    {
        var response = OpenAIChatResponseDecoder.Decode(OpenAIBody).Value;

        var encoded = AnthropicResponseEncoder.Encode(response).Value;

        Assert.Equal(
            """{"id":"msg_CcWj9dBmozYrIh53F5tkednY14t4r","type":"message","role":"assistant","model":"gpt-5.1-chat-latest""" + "\"" +
            ""","content":[{"type":"text","text":"Hello! How can I help you today?"}],"stop_reason":"end_turn","stop_sequence":null""" +
            ""","usage":{"input_tokens":20,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":18}}""",
            Encoding.UTF8.GetString(encoded.Body));
    }

    [Fact]
    public void AnthropicCachedUsage_ToOpenAI_PromptTokensIncludeCache()
    {
        const string Body = """
            {"id":"msg_1","type":"message","role":"assistant","model":"claude-x","content":[{"type":"text","text":"ok"}],
             "stop_reason":"end_turn","stop_sequence":null,
             "usage":{"input_tokens":100,"cache_creation_input_tokens":300,"cache_read_input_tokens":600,"output_tokens":50}}
            """;

        var response = AnthropicResponseDecoder.Decode(Encoding.UTF8.GetBytes(Body)).Value;
        var openAI = OpenAIChatResponseEncoder.Encode(response, 1).Value;

        Assert.Equal(new TokenUsage(1000, 50, CachedInputTokens: 600, CacheWriteInputTokens: 300), response.Usage);
        Assert.Contains(
            """usage":{"prompt_tokens":1000,"completion_tokens":50,"total_tokens":1050,"prompt_tokens_details":{"cached_tokens":600,"cache_write_tokens":300}""",
            Encoding.UTF8.GetString(openAI.Body),
            StringComparison.Ordinal);
    }

    [Fact]
    public void OpenAICachedUsage_ToAnthropic_InputTokensExcludeCache()
    {
        const string Body = """
            {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"length"}],
             "usage":{"prompt_tokens":2006,"completion_tokens":300,"total_tokens":2306,"prompt_tokens_details":{"cached_tokens":1920},"completion_tokens_details":{"reasoning_tokens":128}}}
            """;

        var response = OpenAIChatResponseDecoder.Decode(Encoding.UTF8.GetBytes(Body)).Value;
        var anthropic = AnthropicResponseEncoder.Encode(response).Value;

        Assert.EndsWith(
            "\"" + """stop_reason":"max_tokens","stop_sequence":null,"usage":{"input_tokens":86,"cache_creation_input_tokens":0,"cache_read_input_tokens":1920,"output_tokens":300,"output_tokens_details":{"thinking_tokens":128}}}""",
            Encoding.UTF8.GetString(anthropic.Body),
            StringComparison.Ordinal);
    }

    [Fact]
    public void AnthropicToolUseAndThinking_ToOpenAI_ToolCallsAndThinkingReported()
    {
        const string Body = """
            {"id":"msg_2","type":"message","role":"assistant","model":"claude-x","content":[
              {"type":"thinking","thinking":"The user wants weather.","signature":"EqQB"},
              {"type":"text","text":"Checking."},
              {"type":"tool_use","id":"toolu_9","name":"get_weather","input":{"location":"Paris","days":3}}],
             "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":20}}
            """;

        var response = AnthropicResponseDecoder.Decode(Encoding.UTF8.GetBytes(Body)).Value;
        var openAI = OpenAIChatResponseEncoder.Encode(response, 5).Value;
        var anthropic = AnthropicResponseEncoder.Encode(response).Value;

        Assert.Equal(["thinking"], openAI.DroppedHints);
        Assert.Contains(
            "\"" + """message":{"role":"assistant","content":"Checking.","refusal":null,"tool_calls":[{"id":"toolu_9","type":"function","function":{"name":"get_weather","arguments":"{\"location\":\"Paris\",\"days\":3}"}}]},"logprobs":null,"finish_reason":"tool_calls"}""",
            Encoding.UTF8.GetString(openAI.Body),
            StringComparison.Ordinal);
        JsonAssert.Equal(Body, Encoding.UTF8.GetString(anthropic.Body), JsonAssert.WithoutZeroCacheCounters);
    }

    [Fact]
    public void OpenAIToolCalls_ToAnthropic_ToolUseBlocksWithParsedInput()
    {
        const string Body = """
            {"id":"chatcmpl-2","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":null,
              "tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"location\":\"Paris\"}"}}]},"finish_reason":"tool_calls"}],
             "usage":{"prompt_tokens":5,"completion_tokens":7,"total_tokens":12}}
            """;

        var response = OpenAIChatResponseDecoder.Decode(Encoding.UTF8.GetBytes(Body)).Value;
        var anthropic = AnthropicResponseEncoder.Encode(response).Value;

        Assert.Contains(
            "\"" + """content":[{"type":"tool_use","id":"call_1","name":"get_weather","input":{"location":"Paris"}}],"stop_reason":"tool_use""",
            Encoding.UTF8.GetString(anthropic.Body),
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("end_turn", FinishReason.Stop, "stop")]
    [InlineData("stop_sequence", FinishReason.Stop, "stop")]
    [InlineData("max_tokens", FinishReason.Length, "length")]
    [InlineData("tool_use", FinishReason.ToolCalls, "tool_calls")]
    [InlineData("refusal", FinishReason.Refusal, "content_filter")]
    [InlineData("pause_turn", FinishReason.Other, "stop")]
    public void AnthropicStopReason_ToOpenAIFinishReason(string stopReason, FinishReason canonical, string finishReason)
    {
        var body = "{\"id\":\"m\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"c\",\"content\":[],\"stop_reason\":\"" + stopReason +
                   "\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}";

        var response = AnthropicResponseDecoder.Decode(Encoding.UTF8.GetBytes(body)).Value;
        var openAI = JsonNode.Parse(OpenAIChatResponseEncoder.Encode(response, 1).Value.Body)!;
        var back = JsonNode.Parse(AnthropicResponseEncoder.Encode(response).Value.Body)!;

        Assert.Equal(canonical, response.Finish.Reason);
        Assert.Equal(stopReason, response.Finish.Original);
        Assert.Equal(finishReason, openAI["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal(stopReason, back["stop_reason"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("stop", "end_turn")]
    [InlineData("length", "max_tokens")]
    [InlineData("tool_calls", "tool_use")]
    [InlineData("content_filter", "refusal")]
    public void OpenAIFinishReason_ToAnthropicStopReason(string finishReason, string stopReason)
    {
        var body = "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"g\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"x\"},\"finish_reason\":\"" +
                   finishReason + "\"}]}";

        var response = OpenAIChatResponseDecoder.Decode(Encoding.UTF8.GetBytes(body)).Value;
        var anthropic = JsonNode.Parse(AnthropicResponseEncoder.Encode(response).Value.Body)!;

        Assert.Equal(stopReason, anthropic["stop_reason"]!.GetValue<string>());
    }

    /// <summary>Drops usage (compared as numbers instead) and a null <c>logprobs</c> the recording leaves out.</summary>
    private static JsonNode? WithoutUsage(JsonNode? node)
    {
        node!.AsObject().Remove("usage");
        if (node["choices"]![0] is JsonObject choice && choice.TryGetPropertyValue("logprobs", out var logprobs) && logprobs is null)
        {
            choice.Remove("logprobs");
        }

        return node;
    }
}
