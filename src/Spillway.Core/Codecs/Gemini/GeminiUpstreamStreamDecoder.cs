using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Gemini;

/// <summary>A Gemini <c>streamGenerateContent?alt=sse</c> stream, decoded for a client of another format.</summary>
internal sealed class GeminiUpstreamStreamDecoder : IUpstreamStreamDecoder
{
    private readonly GeminiStreamDecoder _decoder = new();

    // Gemini has no end marker: the stream ends with the connection, after the chunk with a finish reason.
    public bool IsComplete => false;

    public bool Decode(string? eventName, ReadOnlySpan<byte> data, List<ChatStreamEvent> events)
    {
        events.AddRange(_decoder.Decode(data));
        return true;
    }

    public void Complete(List<ChatStreamEvent> events) => events.AddRange(_decoder.Complete());
}
