using System.Text;
using System.Text.Json.Nodes;
using Spillway.Core.Chat;
using Spillway.Core.Codecs.OpenAI;
using Spillway.Core.Tests.Chat;
using Spillway.TestSupport;

namespace Spillway.Core.Tests.Codecs.OpenAI;

public class OpenAIChatStreamTests
{
    [Fact]
    public async Task DecodeThenEncode_TextRecording_SameChunksContentFinishAndUsage()
    {
        var recorded = Fixtures.ReadBytes("openai-chat-stream-text.sse");
        var (events, complete) = await SseEvents.DecodeOpenAIAsync(recorded);

        var encoded = SseEvents.EncodeOpenAI(events, includeUsage: true, created: 1);

        Assert.True(complete);
        var expected = await SseEvents.ReadAsync(recorded);
        var actual = await SseEvents.ReadAsync(encoded);
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal("[DONE]", actual[^1].Data);
        for (var i = 0; i < expected.Count - 1; i++)
        {
            JsonAssert.Equal(expected[i].Data, actual[i].Data, WithoutZeroPromptDetails);
        }
    }

    [Fact]
    public async Task Decode_TextRecording_ContentFinishAndUsage()
    {
        var (events, _) = await SseEvents.DecodeOpenAIAsync(Fixtures.ReadBytes("openai-chat-stream-text.sse"));

        var start = Assert.IsType<MessageStartEvent>(events[0]);
        Assert.Equal(("chatcmpl-ABfw1e5abtU8OwGr15vOreYVb2MiF", "gpt-4o-2024-08-06"), (start.Id, start.Model));
        Assert.Equal(
            "{\"city\":\"San Francisco\",\"temperature\":61,\"units\":\"f\"}",
            string.Concat(events.OfType<TextDeltaEvent>().Select(d => d.Text)));
        Assert.All(events.OfType<TextDeltaEvent>(), d => Assert.Equal(0, d.Index));
        Assert.Equal(new PartStopEvent(0), events[^3]);
        Assert.Equal(FinishReason.Stop, Assert.IsType<FinishEvent>(events[^2]).Finish.Reason);
        Assert.Equal(new TokenUsage(79, 14), Assert.IsType<UsageEvent>(events[^1]).Usage);
    }

    [Fact]
    public async Task Decode_ParallelToolCallFragments_OneStartPerCallThenArgumentsByIndex()
    {
        const string Sse = """
            data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"get_weather","arguments":""}}]},"finish_reason":null}]}

            data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]},"finish_reason":null}]}

            data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}}]},"finish_reason":null}]}

            data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"get_time","arguments":"{}"}}]},"finish_reason":null}]}

            data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}

            data: [DONE]


            """;

        var (events, complete) = await SseEvents.DecodeOpenAIAsync(Encoding.UTF8.GetBytes(Sse));

        Assert.True(complete);
        Assert.Equal<ChatStreamEvent>(
            [
                new ToolCallStartEvent(0, "call_a", "get_weather"),
                new ToolCallArgumentsDeltaEvent(0, "{\"city\":"),
                new ToolCallArgumentsDeltaEvent(0, "\"Paris\"}"),
                new ToolCallStartEvent(1, "call_b", "get_time"),
                new ToolCallArgumentsDeltaEvent(1, "{}"),
                new PartStopEvent(0),
                new PartStopEvent(1),
            ],
            events.Skip(1).Take(7));
        Assert.Equal(FinishReason.ToolCalls, Assert.IsType<FinishEvent>(events[^1]).Finish.Reason);
    }

    [Fact]
    public async Task Decode_OpenRouterErrorChunk_StreamErrorWithStatusFromBody()
    {
        const string Sse = """
            data: {"id":"gen-1","object":"chat.completion.chunk","created":1,"model":"m","provider":"X","error":{"code":429,"message":"Rate limit exceeded","metadata":{"error_type":"rate_limit_exceeded"}},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]}


            """;

        var (events, complete) = await SseEvents.DecodeOpenAIAsync(Encoding.UTF8.GetBytes(Sse));

        Assert.False(complete);
        var error = Assert.IsType<StreamErrorEvent>(Assert.Single(events)).Error;
        Assert.Equal((429, ChatErrorKind.RateLimited, "Rate limit exceeded"), (error.Status, error.Kind, error.Message));
    }

    [Fact]
    public void Decode_GroqUsageInXGroq_UsageEvent()
    {
        var decoder = new OpenAIChatStreamDecoder();
        var events = new List<ChatStreamEvent>();

        decoder.Decode(
            """{"id":"c","object":"chat.completion.chunk","created":1,"model":"llama","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"x_groq":{"id":"req_1","usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}}}"""u8,
            events);

        Assert.Equal(new TokenUsage(12, 3), Assert.IsType<UsageEvent>(events[^1]).Usage);
    }

    [Fact]
    public void Encode_ErrorMidStream_ErrorEventAndNoDone()
    {
        var sse = SseEvents.EncodeOpenAI(
            [
                new MessageStartEvent("msg_1", "claude"),
                new TextDeltaEvent(0, "Hel"),
                new StreamErrorEvent(new ChatError(529, ChatErrorKind.Overloaded, "Overloaded")),
                new TextDeltaEvent(0, "lo"),
            ],
            includeUsage: true);

        Assert.EndsWith(
            "data: {\"error\":{\"message\":\"Overloaded\",\"type\":\"server_error\",\"param\":null,\"code\":\"overloaded\"}}\n\n",
            sse,
            StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", sse, StringComparison.Ordinal);
        Assert.DoesNotContain("\"lo\"", sse, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_CachedUsage_PromptTokensIncludeCacheReadsAndWrites()
    {
        var usage = new TokenUsage(1000, 50, CachedInputTokens: 600, ReasoningTokens: 20, CacheWriteInputTokens: 300);

        var sse = SseEvents.EncodeOpenAI(
            [new MessageStartEvent("m1", "x"), new FinishEvent(new ChatFinish(FinishReason.Stop)), new UsageEvent(usage)],
            includeUsage: true);

        Assert.Contains(
            "\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":50,\"total_tokens\":1050," +
            "\"prompt_tokens_details\":{\"cached_tokens\":600,\"cache_write_tokens\":300},\"completion_tokens_details\":{\"reasoning_tokens\":20}}",
            sse,
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("msg_01XFDUDYJgAACzvnptvVoYEL", "^chatcmpl-01XFDUDYJgAACzvnptvVoYEL$")]
    [InlineData("x9SfaLCQBs7shMIP2Mei0AI", "^chatcmpl-x9SfaLCQBs7shMIP2Mei0AI$")]
    [InlineData("", "^chatcmpl-[A-Za-z0-9]{24}$")]
    public async Task Encode_StartFromAnotherFormat_EveryChunkCarriesOneChatcmplId(string upstreamId, string pattern)
    {
        var sse = SseEvents.EncodeOpenAI(
            [new MessageStartEvent(upstreamId, "x"), new TextDeltaEvent(0, "Hi"), new FinishEvent(new ChatFinish(FinishReason.Stop))],
            includeUsage: false);

        var ids = (await SseEvents.ReadAsync(sse)).Where(e => e.Data != "[DONE]").Select(e => (string?)JsonNode.Parse(e.Data)!["id"]).ToList();
        Assert.Equal(3, ids.Count);
        Assert.Single(ids.Distinct());
        Assert.Matches(pattern, ids[0]);
    }

    [Fact]
    public async Task Encode_TextBeforeMessageStart_RandomChatcmplId()
    {
        var sse = SseEvents.EncodeOpenAI([new TextDeltaEvent(0, "Hi")], includeUsage: false);

        var first = (await SseEvents.ReadAsync(sse))[0];
        Assert.Matches("^chatcmpl-[A-Za-z0-9]{24}$", (string?)JsonNode.Parse(first.Data)!["id"]);
    }

    private static JsonNode? WithoutZeroPromptDetails(JsonNode? node)
    {
        if (node?["usage"] is JsonObject usage && usage["prompt_tokens_details"] is JsonObject details &&
            details.All(p => p.Value is JsonValue v && v.GetValue<long>() == 0))
        {
            usage.Remove("prompt_tokens_details");
        }

        return node;
    }
}
