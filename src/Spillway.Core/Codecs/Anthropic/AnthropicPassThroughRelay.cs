using System.Buffers;
using Spillway.Core.Chat;
using Spillway.Core.Streaming;

namespace Spillway.Core.Codecs.Anthropic;

/// <summary>
/// An Anthropic stream to an Anthropic client: every event goes on byte for byte. Each event is still decoded, so
/// the engine knows the commit point, the finish and the usage.
/// </summary>
internal sealed class AnthropicPassThroughRelay : IStreamRelay
{
    private readonly AnthropicStreamDecoder _decoder = new();
    private readonly List<ChatStreamEvent> _events = [];
    private string? _eventName;
    private ReadOnlyMemory<byte> _data;

    public IReadOnlyList<string> DroppedHints => [];

    public IChatStreamEncoder? Encoder => null;

    public UpstreamEvent Inspect(string? eventName, ReadOnlyMemory<byte> data)
    {
        _events.Clear();
        _eventName = eventName;
        _data = data;
        _decoder.Decode(eventName, data.Span, _events);
        return StreamEventFacts.Of(_events, _decoder.IsComplete);
    }

    public void Record(StreamTranscript transcript) => transcript.Add(_events);

    public void Write(IBufferWriter<byte> output) => SseWriter.WriteEvent(output, _data.Span, _eventName);

    /// <summary>The engine stops at <c>message_stop</c> without writing it: it is written here.</summary>
    public void Complete(IBufferWriter<byte> output) =>
        SseWriter.WriteEvent(output, """{"type":"message_stop"}"""u8, SseEventNames.MessageStop);
}
