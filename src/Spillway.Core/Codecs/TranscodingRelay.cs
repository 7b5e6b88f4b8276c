using System.Buffers;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs;

/// <summary>
/// An upstream stream in one format to a client of another: each upstream event is decoded into canonical events,
/// which the client's encoder writes in its own format.
/// </summary>
internal sealed class TranscodingRelay(IUpstreamStreamDecoder decoder, IChatStreamEncoder encoder) : IStreamRelay
{
    private readonly List<ChatStreamEvent> _events = [];

    public IReadOnlyList<string> DroppedHints => encoder.DroppedHints;

    public IChatStreamEncoder? Encoder => encoder;

    public UpstreamEvent Inspect(string? eventName, ReadOnlyMemory<byte> data)
    {
        _events.Clear();
        if (!decoder.Decode(eventName, data.Span, _events))
        {
            _events.Clear();
            return UpstreamEvent.Malformed;
        }

        return StreamEventFacts.Of(_events, decoder.IsComplete);
    }

    public void Write(IBufferWriter<byte> output)
    {
        foreach (var streamEvent in _events)
        {
            encoder.Write(streamEvent, output);
        }

        _events.Clear();
    }

    public void Record(StreamTranscript transcript) => transcript.Add(_events);

    public void Complete(IBufferWriter<byte> output)
    {
        _events.Clear();
        decoder.Complete(_events);
        Write(output);
        encoder.Complete(output);
    }
}
