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

    public IReadOnlyList<string> DroppedHints => [];

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
            chunk.Usage);
    }

    public void Write(IBufferWriter<byte> output)
    {
        if (!_skip)
        {
            SseWriter.WriteEvent(output, _data.Span, _eventName);
        }
    }

    public void Complete(IBufferWriter<byte> output) => SseWriter.WriteDone(output);
}
