using System.Buffers;
using System.Text;
using Spillway.Core.Chat;
using Spillway.Core.Codecs.Gemini;

namespace Spillway.Core.Tests.Codecs.Gemini;

public class GeminiStreamEncoderTests
{
    private static (byte[] Sse, GeminiStreamEncoder Encoder) Encode(IEnumerable<ChatStreamEvent> events)
    {
        var encoder = new GeminiStreamEncoder();
        var output = new ArrayBufferWriter<byte>();
        foreach (var e in events)
        {
            encoder.Write(e, output);
        }

        encoder.Complete(output);
        return (output.WrittenSpan.ToArray(), encoder);
    }

    /// <summary>
    /// Compares events and, apart, their extension items: <see cref="ChatExtensions"/> compares by reference,
    /// while the items it holds compare by value.
    /// </summary>
    private static void AssertSameEvents(IReadOnlyList<ChatStreamEvent> expected, IReadOnlyList<ChatStreamEvent> actual)
    {
        Assert.Equal(expected.Select(e => e with { Extensions = ChatExtensions.Empty }), actual.Select(e => e with { Extensions = ChatExtensions.Empty }));
        Assert.Equal(expected.Select(e => e.Extensions.Items), actual.Select(e => e.Extensions.Items));
    }

    [Fact]
    public async Task Encode_DecodedRecording_DecodesBackToTheSameEvents()
    {
        var original = await GeminiStreamDecoderTests.DecodeAllAsync(GeminiRecordings.SseBytes(GeminiRecordings.Stream));

        var (sse, encoder) = Encode(original);
        var again = await GeminiStreamDecoderTests.DecodeAllAsync(sse);

        AssertSameEvents(original, again);
        Assert.Empty(encoder.DroppedHints);
        Assert.Equal(12, Encoding.UTF8.GetString(sse).Split("data: ").Length - 1);
    }

    [Fact]
    public void Encode_ToolCallDeltas_OneWholeFunctionCallChunk()
    {
        var (sse, _) = Encode(
        [
            new MessageStartEvent("chatcmpl-1", "gpt-x"),
            new ToolCallStartEvent(0, "call_Ab3", "get_weather"),
            new ToolCallArgumentsDeltaEvent(0, """{"ci"""),
            new ToolCallArgumentsDeltaEvent(0, """ty":"Paris"}"""),
            new PartStopEvent(0),
            new FinishEvent(new ChatFinish(FinishReason.ToolCalls, "tool_calls", WireFormat.OpenAI)),
            new UsageEvent(new TokenUsage(10, 4)),
        ]);

        var events = Encoding.UTF8.GetString(sse).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, events.Length);
        GeminiRecordings.AssertJsonEqual("""
            {"candidates":[{"content":{"parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"},"id":"call_Ab3"}}],"role":"model"}}],
             "modelVersion":"gpt-x","responseId":"chatcmpl-1"}
            """, Encoding.UTF8.GetBytes(events[0]["data: ".Length..]));
        GeminiRecordings.AssertJsonEqual("""
            {"candidates":[{"finishReason":"STOP"}],
             "usageMetadata":{"promptTokenCount":10,"candidatesTokenCount":4,"totalTokenCount":14},
             "modelVersion":"gpt-x","responseId":"chatcmpl-1"}
            """, Encoding.UTF8.GetBytes(events[1]["data: ".Length..]));
    }

    [Fact]
    public void Encode_ThinkingWithSignature_ThoughtChunksAndSignatureRoundTrip()
    {
        ChatStreamEvent[] events =
        [
            new MessageStartEvent("r", "gemini-2.5-flash"),
            new ThinkingDeltaEvent(0, "Hmm"),
            new ThinkingSignatureEvent(0, "U0lH"),
            new PartStopEvent(0),
            new TextDeltaEvent(1, "Hi"),
            new PartStopEvent(1),
            new FinishEvent(new ChatFinish(FinishReason.Stop, "STOP", WireFormat.Gemini)),
        ];

        var (sse, _) = Encode(events);
        var decoder = new GeminiStreamDecoder();
        var decoded = Encoding.UTF8.GetString(sse).Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(e => decoder.Decode(Encoding.UTF8.GetBytes(e["data: ".Length..])).ToList()).ToList();

        AssertSameEvents(events, decoded);
    }

    [Fact]
    public void Encode_ErrorAfterContent_ErrorEventAndNoFinishingChunk()
    {
        var (sse, encoder) = Encode(
        [
            new MessageStartEvent("r", "m"),
            new TextDeltaEvent(0, "Par"),
            new RedactedThinkingEvent(1, "xx"),
            new StreamErrorEvent(new ChatError(529, ChatErrorKind.Overloaded, "Overloaded")),
            new FinishEvent(new ChatFinish(FinishReason.Stop)),
        ]);

        var text = Encoding.UTF8.GetString(sse);
        Assert.EndsWith("data: {\"error\":{\"code\":529,\"message\":\"Overloaded\",\"status\":\"UNAVAILABLE\"}}\n\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("finishReason", text, StringComparison.Ordinal);
        Assert.Equal(["redacted_thinking"], encoder.DroppedHints);
    }

    [Fact]
    public void Complete_NeverFinished_WritesNothing()
    {
        var (sse, _) = Encode([new MessageStartEvent("r", "m")]);

        Assert.Empty(sse);
    }
}
