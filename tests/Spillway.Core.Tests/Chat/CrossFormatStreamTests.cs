using System.Buffers;
using System.Text;
using Spillway.Core.Chat;
using Spillway.Core.Codecs.OpenAI;
using Spillway.TestSupport;

namespace Spillway.Core.Tests.Chat;

public class CrossFormatStreamTests
{
    private static readonly string[] OpenAITextPieces =
        ["{\\\"", "city", "\\\":\\\"", "San", " Francisco", "\\\",\\\"", "temperature", "\\\":", "61", ",\\\"", "units", "\\\":\\\"", "f", "\\\"}"];

    [Fact]
    public async Task AnthropicToolUseRecording_AsOpenAIStream_ExactChunks()
    {
        var (events, _) = await SseEvents.DecodeAnthropicAsync(Fixtures.ReadBytes("anthropic-messages-stream-tool-use.sse"));

        var sse = SseEvents.EncodeOpenAI(events, includeUsage: true, created: 1_700_000_000);

        static string Chunk(string body) =>
            "data: {\"id\":\"chatcmpl-019Q1hrJbZG26Fb9BQhrkHEr\",\"object\":\"chat.completion.chunk\",\"created\":1700000000," +
            "\"model\":\"claude-sonnet-4-20250514\"," + body + "}\n\n";
        static string Delta(string delta, string finish = "null") =>
            Chunk("\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":" + finish + "}]");
        static string Arguments(string json) =>
            Delta("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"" + json + "\"}}]}");
        var expected =
            Delta("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}") +
            Delta("{\"content\":\"I\"}") +
            Delta("{\"content\":\"'ll check the current weather in Paris for you.\"}") +
            Delta("{\"tool_calls\":[{\"index\":0,\"id\":\"toolu_01NRLabsLyVHZPKxbKvkfSMn\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}") +
            Arguments("{\\\"locati") +
            Arguments("on\\\": \\\"P") +
            Arguments("ar") +
            Arguments("is\\\"}") +
            Delta("{}", "\"tool_calls\"") +
            Chunk("\"choices\":[],\"usage\":{\"prompt_tokens\":377,\"completion_tokens\":65,\"total_tokens\":442," +
                  "\"prompt_tokens_details\":{\"cached_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0}}") +
            "data: [DONE]\n\n";
        Assert.Equal(expected, sse);
    }

    [Fact]
    public async Task AnthropicToolUseRecording_AsOpenAIStreamWithoutUsage_NoUsageChunk()
    {
        var (events, _) = await SseEvents.DecodeAnthropicAsync(Fixtures.ReadBytes("anthropic-messages-stream-tool-use.sse"));

        var chunks = await SseEvents.ReadAsync(SseEvents.EncodeOpenAI(events, includeUsage: false));

        Assert.DoesNotContain(chunks, c => c.Data.Contains("\"usage\"", StringComparison.Ordinal));
        Assert.Equal("[DONE]", chunks[^1].Data);
        Assert.Contains("\"finish_reason\":\"tool_calls\"", chunks[^2].Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAITextRecording_AsAnthropicStream_ExactEventSequence()
    {
        var (events, complete) = await SseEvents.DecodeOpenAIAsync(Fixtures.ReadBytes("openai-chat-stream-text.sse"));

        var sse = SseEvents.EncodeAnthropic(events);

        Assert.True(complete);
        static string Event(string name, string data) => $"event: {name}\ndata: {data}\n\n";
        var expected =
            Event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_ABfw1e5abtU8OwGr15vOreYVb2MiF\"," +
                "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"gpt-4o-2024-08-06\",\"content\":[],\"stop_reason\":null," +
                "\"stop_sequence\":null,\"usage\":{\"input_tokens\":0,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":0}}}") +
            Event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}") +
            Event("ping", "{\"type\":\"ping\"}") +
            string.Concat(OpenAITextPieces.Select(piece => Event(
                "content_block_delta",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"" + piece + "\"}}"))) +
            Event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}") +
            Event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null}," +
                "\"usage\":{\"input_tokens\":79,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":14}}") +
            Event("message_stop", "{\"type\":\"message_stop\"}");
        Assert.Equal(expected, sse);
    }

    [Fact]
    public async Task OpenAIParallelToolCalls_AsAnthropicStream_SequentialToolUseBlocks()
    {
        var events = new List<ChatStreamEvent>
        {
            new MessageStartEvent("chatcmpl-1", "gpt-4o"),
            new ToolCallStartEvent(0, "call_a", "get_weather"),
            new ToolCallArgumentsDeltaEvent(0, "{\"city\":\"Paris\"}"),
            new ToolCallStartEvent(1, "call_b", "get_time"),
            new ToolCallArgumentsDeltaEvent(1, "{}"),
            new PartStopEvent(0),
            new PartStopEvent(1),
            new FinishEvent(new ChatFinish(FinishReason.ToolCalls, "tool_calls", WireFormat.OpenAI)),
            new UsageEvent(new TokenUsage(10, 20)),
        };

        var names = (await SseEvents.ReadAsync(SseEvents.EncodeAnthropic(events))).Select(e => e.Name);

        Assert.Equal(
            ["message_start", "content_block_start", "ping", "content_block_delta", "content_block_stop",
             "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"],
            names);
    }

    [Fact]
    public void ThinkingToOpenAIStream_DroppedAndReported()
    {
        var encoder = new OpenAIChatStreamEncoder(1, includeUsage: false);
        var output = new ArrayBufferWriter<byte>();

        encoder.Write(new MessageStartEvent("msg_1", "claude"), output);
        encoder.Write(new ThinkingDeltaEvent(0, "Let me think"), output);
        encoder.Write(new ThinkingSignatureEvent(0, "sig"), output);
        encoder.Write(new TextDeltaEvent(1, "Answer"), output);
        encoder.Complete(output);

        Assert.Equal(["thinking"], encoder.DroppedHints);
        Assert.DoesNotContain("Let me think", Encoding.UTF8.GetString(output.WrittenSpan), StringComparison.Ordinal);
    }
}
