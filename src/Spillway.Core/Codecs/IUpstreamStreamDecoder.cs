using Spillway.Core.Chat;

namespace Spillway.Core.Codecs;

/// <summary>Turns an upstream's SSE events into canonical stream events, whatever its wire format.</summary>
internal interface IUpstreamStreamDecoder
{
    /// <summary>True once the format's end marker arrived (<c>[DONE]</c>, <c>message_stop</c>); Gemini has none.</summary>
    bool IsComplete { get; }

    /// <summary>Decodes one event into <paramref name="events"/>; false when the event is malformed and must be dropped.</summary>
    bool Decode(string? eventName, ReadOnlySpan<byte> data, List<ChatStreamEvent> events);

    /// <summary>The events owed once the stream ended (a cut-short Gemini stream reports its error here).</summary>
    void Complete(List<ChatStreamEvent> events);
}
