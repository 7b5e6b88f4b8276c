using System.Buffers;
using Spillway.Core.Chat;
using Spillway.Core.Streaming;

namespace Spillway.Core.Codecs.Responses;

/// <summary>
/// A Responses stream to a Responses client: every event goes on byte for byte, under its own event name. Each is
/// still decoded, so the engine knows the commit point, the finish, the usage and an in-band failure, and so another
/// route can take the stream over where it stands (<see cref="Encoder"/>).
/// </summary>
internal sealed class ResponsesPassThroughRelay : IStreamRelay
{
    private readonly ResponsesStreamDecoder _decoder = new();
    private readonly List<ChatStreamEvent> _events = [];
    private readonly Func<ResponsesStreamEncoder> _newEncoder;
    private ResponsesStreamEncoder? _takeover;
    private ReadOnlyMemory<byte> _data;
    private string? _eventName;

    // The number of the last event the client was sent: a takeover numbers on from it.
    private long _lastWritten = -1;

    /// <param name="newEncoder">Makes the encoder that writes the client's events if this stream is taken over.</param>
    public ResponsesPassThroughRelay(Func<ResponsesStreamEncoder> newEncoder)
    {
        _newEncoder = newEncoder;
        Encoder = new DeferredEncoder(this);
    }

    public IReadOnlyList<string> DroppedHints => [];

    /// <summary>
    /// Writes nothing while events pass as they came; first used when the engine ends the stream with an error or
    /// another route goes on with it, it then continues the client's stream from the last event passed on (its
    /// numbering, its items).
    /// </summary>
    public IChatStreamEncoder? Encoder { get; }

    public UpstreamEvent Inspect(string? eventName, ReadOnlyMemory<byte> data)
    {
        _events.Clear();
        _data = data;
        _eventName = eventName;
        if (!_decoder.Decode(eventName, data.Span, _events))
        {
            _events.Clear();
            return UpstreamEvent.Malformed;
        }

        return StreamEventFacts.Of(_events, _decoder.IsComplete);
    }

    public void Record(StreamTranscript transcript) => transcript.Add(_events);

    public void Write(IBufferWriter<byte> output)
    {
        SseWriter.WriteEvent(output, _data.Span, _eventName);
        _lastWritten = Math.Max(_lastWritten, _decoder.Sequence);
    }

    public void Complete(IBufferWriter<byte> output)
    {
    }

    private ResponsesStreamEncoder TakeOver()
    {
        if (_takeover is null)
        {
            _takeover = _newEncoder();
            _takeover.TakeOver(_decoder.ResponseId ?? ResponseIds.ForResponses(null), _decoder.Model ?? "", _decoder.Items(), _decoder.OpenPart, _lastWritten);
        }

        return _takeover;
    }

    /// <summary>The takeover encoder, made from the stream's state at its first use rather than at the commit.</summary>
    private sealed class DeferredEncoder(ResponsesPassThroughRelay relay) : IChatStreamEncoder
    {
        public IReadOnlyList<string> DroppedHints => relay._takeover?.DroppedHints ?? [];

        public void Write(ChatStreamEvent streamEvent, IBufferWriter<byte> output) => relay.TakeOver().Write(streamEvent, output);

        public void Complete(IBufferWriter<byte> output) => relay.TakeOver().Complete(output);

        // Already where the client's stream stands.
        public void Resume(StreamResumePoint point) => relay.TakeOver();
    }
}
