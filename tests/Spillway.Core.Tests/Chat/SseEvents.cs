using System.Buffers;
using System.Text;
using Spillway.Core.Chat;
using Spillway.Core.Codecs.Anthropic;
using Spillway.Core.Codecs.OpenAI;
using Spillway.Core.Streaming;

namespace Spillway.Core.Tests.Chat;

/// <summary>One SSE event as read back: its name (null for OpenAI-style) and its data.</summary>
internal sealed record SseEvent(string? Name, string Data);

/// <summary>Reads SSE bytes with the program's one reader, and runs decoders and encoders over them.</summary>
internal static class SseEvents
{
    public static async Task<List<SseEvent>> ReadAsync(byte[] sse)
    {
        var events = new List<SseEvent>();
        await using var reader = new SseReader(new MemoryStream(sse));
        while (await reader.ReadNextAsync())
        {
            events.Add(new SseEvent(reader.EventName, Encoding.UTF8.GetString(reader.Data.Span)));
        }

        return events;
    }

    public static Task<List<SseEvent>> ReadAsync(string sse) => ReadAsync(Encoding.UTF8.GetBytes(sse));

    public static async Task<(List<ChatStreamEvent> Events, bool Complete)> DecodeAnthropicAsync(byte[] sse)
    {
        var decoder = new AnthropicStreamDecoder();
        var events = new List<ChatStreamEvent>();
        foreach (var e in await ReadAsync(sse))
        {
            decoder.Decode(e.Name, Encoding.UTF8.GetBytes(e.Data), events);
        }

        return (events, decoder.IsComplete);
    }

    public static async Task<(List<ChatStreamEvent> Events, bool Complete)> DecodeOpenAIAsync(byte[] sse)
    {
        var decoder = new OpenAIChatStreamDecoder();
        var events = new List<ChatStreamEvent>();
        foreach (var e in await ReadAsync(sse))
        {
            decoder.Decode(Encoding.UTF8.GetBytes(e.Data), events);
        }

        return (events, decoder.IsComplete);
    }

    /// <summary>Runs canonical events through the OpenAI encoder, completing the stream when asked.</summary>
    public static string EncodeOpenAI(
        IEnumerable<ChatStreamEvent> events, bool includeUsage, bool complete = true, long created = 1_700_000_000)
    {
        var encoder = new OpenAIChatStreamEncoder(created, includeUsage);
        var output = new ArrayBufferWriter<byte>();
        foreach (var e in events)
        {
            encoder.Write(e, output);
        }

        if (complete)
        {
            encoder.Complete(output);
        }

        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    /// <summary>Runs canonical events through the Anthropic encoder, completing the stream when asked.</summary>
    public static string EncodeAnthropic(IEnumerable<ChatStreamEvent> events, bool complete = true)
    {
        var encoder = new AnthropicStreamEncoder();
        var output = new ArrayBufferWriter<byte>();
        foreach (var e in events)
        {
            encoder.Write(e, output);
        }

        if (complete)
        {
            encoder.Complete(output);
        }

        return Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
