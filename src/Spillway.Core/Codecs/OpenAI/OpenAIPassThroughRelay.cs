using System.Buffers;
using Spillway.Core.Streaming;

namespace Spillway.Core.Codecs.OpenAI;

/// <summary>
/// An OpenAI stream to an OpenAI client: every event goes on byte for byte, except the usage chunk the gateway
/// asked for on its own behalf, which a client that did not ask never sees.
/// </summary>
internal sealed class OpenAIPassThroughRelay(bool clientWantsUsage) : IStreamRelay
{
    private string? _eventName;
    private ReadOnlyMemory<byte> _data;
    private bool _skip;

    private static readonly Func<IUpstreamStreamDecoder> Decoder = static () => new OpenAIUpstreamStreamDecoder();

    public IReadOnlyList<string> DroppedHints => [];

    public IChatStreamEncoder? Encoder => null;

    public UpstreamEvent Inspect(string? eventName, ReadOnlyMemory<byte> data)
    {
        var chunk = OpenAIStreamChunk.Inspect(data.Span);
        _eventName = eventName;
        _data = data;
        _skip = chunk.IsUsageOnly && !clientWantsUsage;
        return new UpstreamEvent(
            chunk.IsDone,
            chunk.IsError,
            chunk.IsContentBearing,
            chunk.IsUsageOnly,
            chunk.FinishReason is not null,
            chunk.IsMalformed,
            chunk.Usage)
        {
            FinishReason = chunk.FinishReason,
        };
    }

    /// <summary>The chunk is kept as it came; it is decoded only if the stream breaks and is continued.</summary>
    public void Record(StreamTranscript transcript) => transcript.AddRaw(_data.Span, Decoder);

    public void Write(IBufferWriter<byte> output)
    {
        if (!_skip)
        {
            SseWriter.WriteEvent(output, _data.Span, _eventName);
        }
    }

    public void Complete(IBufferWriter<byte> output) => SseWriter.WriteDone(output);
}
