using System.Buffers;
using Spillway.Core.Chat;
using Spillway.Core.Streaming;

namespace Spillway.Core.Codecs.Gemini;

/// <summary>
/// A Gemini stream to a Gemini client: every chunk goes on byte for byte. Each chunk is still decoded, so the engine
/// knows the commit point, the finish and the usage. Gemini streams have no closing event to add at the end.
/// </summary>
internal sealed class GeminiPassThroughRelay : IStreamRelay
{
    private readonly GeminiUpstreamStreamDecoder _decoder = new();
    private readonly List<ChatStreamEvent> _events = [];
    private ReadOnlyMemory<byte> _data;

    public IReadOnlyList<string> DroppedHints => [];

    public IChatStreamEncoder? Encoder => null;

    public UpstreamEvent Inspect(string? eventName, ReadOnlyMemory<byte> data)
    {
        _events.Clear();
        _data = data;
        if (!_decoder.Decode(eventName, data.Span, _events))
        {
            _events.Clear();
            return UpstreamEvent.Malformed;
        }

        return StreamEventFacts.Of(_events, _decoder.IsComplete);
    }

    public void Record(StreamTranscript transcript) => transcript.Add(_events);

    public void Write(IBufferWriter<byte> output) => SseWriter.WriteEvent(output, _data.Span);

    public void Complete(IBufferWriter<byte> output)
    {
    }
}
