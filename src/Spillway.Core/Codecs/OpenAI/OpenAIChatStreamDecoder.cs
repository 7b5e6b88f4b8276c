using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.OpenAI;

/// <summary>
/// Turns the chunks of an OpenAI Chat Completions stream into canonical stream events. One decoder per stream;
/// feed it the data of every SSE event in order.
/// </summary>
/// <remarks>
/// OpenAI numbers tool calls apart from text; canonical parts are numbered in order of first appearance, so the
/// decoder assigns each text run, reasoning run and tool call its part index. OpenAI never says a part ended: the
/// open text part stops when a tool call begins, and every open part stops at the finish reason. Choices other
/// than the first are ignored (a request with <c>n</c> above 1 never crosses formats).
/// </remarks>
public sealed partial class OpenAIChatStreamDecoder
{
    private readonly Dictionary<int, int> _toolParts = [];
    private readonly List<int> _openParts = [];
    private bool _started;
    private int _nextPart;
    private int _textPart = -1;
    private int _thinkingPart = -1;

    /// <summary>True once <c>[DONE]</c> arrived: the stream ended normally.</summary>
    public bool IsComplete { get; private set; }

    /// <summary>Decodes the data of one SSE event into zero or more events added to <paramref name="events"/>.</summary>
    public void Decode(ReadOnlySpan<byte> data, ICollection<ChatStreamEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var trimmed = data.Trim(" \t\r\n"u8);
        if (trimmed.SequenceEqual("[DONE]"u8))
        {
            IsComplete = true;
            return;
        }

        try
        {
            var chunk = ReadChunk(trimmed);
            Emit(chunk, events);
        }
        catch (JsonException)
        {
            events.Add(new StreamErrorEvent(new ChatError(502, ChatErrorKind.Server, "The upstream sent a malformed stream chunk.")));
        }
    }

    private void Emit(Chunk chunk, ICollection<ChatStreamEvent> events)
    {
        if (chunk.Error is { } error)
        {
            events.Add(new StreamErrorEvent(error));
            return;
        }

        if (!_started && chunk.Id is not null)
        {
            _started = true;
            events.Add(new MessageStartEvent(chunk.Id, chunk.Model ?? "") { Extensions = chunk.Metadata });
        }

        if (!string.IsNullOrEmpty(chunk.Reasoning))
        {
            _thinkingPart = OpenPart(_thinkingPart);
            events.Add(new ThinkingDeltaEvent(_thinkingPart, chunk.Reasoning));
        }

        if (!string.IsNullOrEmpty(chunk.Content))
        {
            StopPart(ref _thinkingPart, events);
            _textPart = OpenPart(_textPart);
            events.Add(new TextDeltaEvent(_textPart, chunk.Content));
        }

        foreach (var call in chunk.ToolCalls)
        {
            if (!_toolParts.TryGetValue(call.Index, out var part))
            {
                // A new call: the text or reasoning before it is complete.
                StopPart(ref _thinkingPart, events);
                StopPart(ref _textPart, events);
                part = OpenPart(-1);
                _toolParts[call.Index] = part;
                events.Add(new ToolCallStartEvent(part, call.Id ?? "", call.Name ?? ""));
            }

            if (!string.IsNullOrEmpty(call.Arguments))
            {
                events.Add(new ToolCallArgumentsDeltaEvent(part, call.Arguments));
            }
        }

        if (chunk.FinishReason is { } reason)
        {
            foreach (var open in _openParts)
            {
                events.Add(new PartStopEvent(open));
            }

            _openParts.Clear();
            _textPart = _thinkingPart = -1;
            events.Add(new FinishEvent(OpenAIFinishReasons.Decode(reason)));
        }

        if (chunk.Usage is { } usage)
        {
            events.Add(new UsageEvent(usage));
        }
    }

    private int OpenPart(int current)
    {
        if (current >= 0)
        {
            return current;
        }

        var part = _nextPart++;
        _openParts.Add(part);
        return part;
    }

    private void StopPart(ref int part, ICollection<ChatStreamEvent> events)
    {
        if (part < 0)
        {
            return;
        }

        _openParts.Remove(part);
        events.Add(new PartStopEvent(part));
        part = -1;
    }
}
