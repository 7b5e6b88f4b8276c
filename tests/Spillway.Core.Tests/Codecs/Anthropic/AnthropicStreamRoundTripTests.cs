using System.Text;
using Spillway.Core.Chat;
using Spillway.Core.Codecs.Anthropic;
using Spillway.Core.Tests.Chat;
using Spillway.TestSupport;

namespace Spillway.Core.Tests.Codecs.Anthropic;

public class AnthropicStreamRoundTripTests
{
    [Theory]
    [InlineData("anthropic-messages-stream-text.sse")]
    [InlineData("anthropic-messages-stream-tool-use.sse")]
    public async Task DecodeThenEncode_Recording_SameEventSequenceAndData(string fixture)
    {
        var recorded = Fixtures.ReadBytes(fixture);
        var (events, complete) = await SseEvents.DecodeAnthropicAsync(recorded);

        var encoded = SseEvents.EncodeAnthropic(events);

        Assert.True(complete);
        var expected = await SseEvents.ReadAsync(recorded);
        var actual = await SseEvents.ReadAsync(encoded);
        Assert.Equal(expected.Select(e => e.Name), actual.Select(e => e.Name));
        for (var i = 0; i < expected.Count; i++)
        {
            JsonAssert.Equal(expected[i].Data, actual[i].Data, JsonAssert.WithoutZeroCacheCounters);
        }
    }

    [Fact]
    public async Task Decode_TextRecording_ExactCanonicalEvents()
    {
        var (events, complete) = await SseEvents.DecodeAnthropicAsync(Fixtures.ReadBytes("anthropic-messages-stream-text.sse"));

        Assert.True(complete);
        Assert.Collection(
            events,
            e =>
            {
                var start = Assert.IsType<MessageStartEvent>(e);
                Assert.Equal(("msg_4QpJur2dWWDjF6C758FbBw5vm12BaVipnK", "claude-3-opus-latest"), (start.Id, start.Model));
                Assert.Equal(new TokenUsage(11, 1), start.Usage);
            },
            e => Assert.Equal(new TextDeltaEvent(0, ""), e),
            e => Assert.IsType<PingEvent>(e),
            e => Assert.Equal(new TextDeltaEvent(0, "Hello"), e),
            e => Assert.Equal(new TextDeltaEvent(0, " there"), e),
            e => Assert.Equal(new TextDeltaEvent(0, "!"), e),
            e => Assert.Equal(new PartStopEvent(0), e),
            e =>
            {
                var finish = Assert.IsType<FinishEvent>(e).Finish;
                Assert.Equal((FinishReason.Stop, "end_turn"), (finish.Reason, finish.Original));
            },
            e => Assert.Equal(new TokenUsage(11, 6), Assert.IsType<UsageEvent>(e).Usage));
    }

    [Fact]
    public async Task Decode_ToolUseRecording_ToolCallStartThenArgumentFragments()
    {
        var (events, _) = await SseEvents.DecodeAnthropicAsync(Fixtures.ReadBytes("anthropic-messages-stream-tool-use.sse"));

        var start = Assert.Single(events.OfType<ToolCallStartEvent>());
        Assert.Equal((1, "toolu_01NRLabsLyVHZPKxbKvkfSMn", "get_weather"), (start.Index, start.Id, start.Name));
        var arguments = string.Concat(events.OfType<ToolCallArgumentsDeltaEvent>().Select(d => d.PartialJson));
        Assert.Equal("{\"location\": \"Paris\"}", arguments);
        var finish = Assert.Single(events.OfType<FinishEvent>()).Finish;
        Assert.Equal(FinishReason.ToolCalls, finish.Reason);
        Assert.Equal(new TokenUsage(377, 65), Assert.Single(events.OfType<UsageEvent>()).Usage);
    }

    [Fact]
    public void Encode_ErrorMidStream_EndsWithErrorEventAndNoMessageStop()
    {
        var sse = SseEvents.EncodeAnthropic(
        [
            new MessageStartEvent("msg_1", "claude-x"),
            new TextDeltaEvent(0, "Hi"),
            new StreamErrorEvent(new ChatError(529, ChatErrorKind.Overloaded, "Overloaded")),
        ]);

        Assert.EndsWith(
            "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n",
            sse,
            StringComparison.Ordinal);
        Assert.DoesNotContain("message_stop", sse, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_CachedUsageAtEnd_MessageDeltaCarriesInputSplit()
    {
        var usage = new TokenUsage(1000, 50, CachedInputTokens: 600, CacheWriteInputTokens: 300);
        var sse = SseEvents.EncodeAnthropic(
        [
            new MessageStartEvent("msg_1", "m"),
            new TextDeltaEvent(0, "x"),
            new FinishEvent(new ChatFinish(FinishReason.Length)),
            new UsageEvent(usage),
        ]);

        Assert.Contains(
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"max_tokens\",\"stop_sequence\":null}," +
            "\"usage\":{\"input_tokens\":100,\"cache_creation_input_tokens\":300,\"cache_read_input_tokens\":600,\"output_tokens\":50}}\n\n",
            sse,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_MalformedEvent_StreamError()
    {
        var decoder = new AnthropicStreamDecoder();
        var events = new List<ChatStreamEvent>();

        decoder.Decode("message_delta", Encoding.UTF8.GetBytes("{not json"), events);

        var error = Assert.IsType<StreamErrorEvent>(Assert.Single(events)).Error;
        Assert.Equal(502, error.Status);
    }
}
