using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Anthropic;

/// <summary>An Anthropic-format upstream's stream, decoded for a client of another format.</summary>
internal sealed class AnthropicUpstreamStreamDecoder : IUpstreamStreamDecoder
{
    private readonly AnthropicStreamDecoder _decoder = new();

    public bool IsComplete => _decoder.IsComplete;

    public bool Decode(string? eventName, ReadOnlySpan<byte> data, List<ChatStreamEvent> events)
    {
        _decoder.Decode(eventName, data, events);
        return true;
    }

    public void Complete(List<ChatStreamEvent> events)
    {
    }
}
