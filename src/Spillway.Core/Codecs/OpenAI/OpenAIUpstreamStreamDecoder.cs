using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.OpenAI;

/// <summary>An OpenAI-format upstream's stream, decoded for a client of another format.</summary>
internal sealed class OpenAIUpstreamStreamDecoder : IUpstreamStreamDecoder
{
    private readonly OpenAIChatStreamDecoder _decoder = new();

    public bool IsComplete => _decoder.IsComplete;

    public bool Decode(string? eventName, ReadOnlySpan<byte> data, List<ChatStreamEvent> events)
    {
        // A chunk that is not JSON is dropped, as on the pass-through path: clients' parsers would choke on it.
        if (OpenAIStreamChunk.Inspect(data).IsMalformed)
        {
            return false;
        }

        _decoder.Decode(data, events);
        return true;
    }

    public void Complete(List<ChatStreamEvent> events)
    {
    }
}
