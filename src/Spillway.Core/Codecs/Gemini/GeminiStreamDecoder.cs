using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Gemini;

/// <summary>
/// Decodes a Gemini <c>streamGenerateContent?alt=sse</c> stream, one SSE event's data at a time, into canonical
/// stream events. Each event is a whole <c>GenerateContentResponse</c> chunk (wire-facts §3.3).
/// </summary>
/// <remarks>
/// <para>
/// The first chunk opens the answer (<see cref="MessageStartEvent"/>). Text and thought text extend the open
/// part of their kind, or close it and open a new one; a thought's signature follows as a
/// <see cref="ThinkingSignatureEvent"/>, a signature on text or on a call rides in the event's extensions.
/// Gemini sends a function call whole, so it becomes a start, one arguments delta and a stop at once.
/// </para>
/// <para>
/// Intermediate chunks carry partial usage (prompt and total only), so usage is reported only from the chunk
/// that finishes the answer, and again should a later chunk bring more. A stream that ends without a finishing
/// chunk is cut short: <see cref="Complete"/> then reports an error, never a complete answer.
/// </para>
/// <para>Not thread-safe: one decoder per stream.</para>
/// </remarks>
public sealed class GeminiStreamDecoder
{
    private enum Open
    {
        None,
        Text,
        Thinking,
    }

    private readonly List<ChatStreamEvent> _events = [];
    private Open _open;
    private int _openIndex;
    private int _nextIndex;
    private int _calls;
    private bool _started;
    private bool _finished;
    private bool _failed;
    private string? _responseId;
    private GeminiUsage? _usage;

    /// <summary>Decodes the data of one SSE event. The list is valid until the next call.</summary>
    public IReadOnlyList<ChatStreamEvent> Decode(ReadOnlySpan<byte> data)
    {
        _events.Clear();
        if (_failed)
        {
            return _events;
        }

        var chunk = GeminiResponseParser.Read(data);
        if (chunk is null)
        {
            return Fail(new ChatError(502, ChatErrorKind.Server, "Gemini sent a stream chunk that is not a JSON object."));
        }

        if (!chunk.Error.IsEmpty)
        {
            return Fail(GeminiErrorCodec.Decode(200, chunk.Error));
        }

        if (!_started)
        {
            _started = true;
            _responseId = chunk.ResponseId;
            _events.Add(new MessageStartEvent(chunk.ResponseId ?? string.Empty, chunk.ModelVersion ?? string.Empty));
        }

        foreach (var part in chunk.Parts)
        {
            if (!AddPart(part))
            {
                return _events;
            }
        }

        if (chunk.Usage is not null)
        {
            _usage = chunk.Usage;
        }

        if (!_finished && (chunk.FinishReason is not null || (chunk.CandidateCount == 0 && chunk.BlockReason is not null)))
        {
            CloseOpen();
            _finished = true;
            var finish = chunk.FinishReason is not null
                ? GeminiFinishReasons.ToCanonical(chunk.FinishReason, _calls > 0)
                : GeminiFinishReasons.Blocked(chunk.BlockReason!);
            _events.Add(new FinishEvent(finish) { Extensions = ChatExtensions.Of(chunk.Extensions) });
            AddUsage();
        }
        else if (_finished && chunk.Usage is not null)
        {
            AddUsage();
        }

        return _events;
    }

    /// <summary>
    /// Ends the stream once its last event was decoded: nothing when the answer finished, else the open part's
    /// stop and a <see cref="StreamErrorEvent"/>, since the answer was cut short.
    /// </summary>
    public IReadOnlyList<ChatStreamEvent> Complete()
    {
        _events.Clear();
        if (_finished || _failed)
        {
            return _events;
        }

        return Fail(new ChatError(502, ChatErrorKind.Server, "The Gemini stream ended before the answer finished."));
    }

    private bool AddPart(GeminiPart part)
    {
        switch (part.Kind)
        {
            case GeminiPartKind.Text when part.Thought:
                var thinking = Continue(Open.Thinking);
                if (!string.IsNullOrEmpty(part.Text))
                {
                    _events.Add(new ThinkingDeltaEvent(thinking, part.Text));
                }

                if (part.Signature is not null)
                {
                    _events.Add(new ThinkingSignatureEvent(thinking, part.Signature));
                }

                return true;
            case GeminiPartKind.Text:
                if (string.IsNullOrEmpty(part.Text) && part.Signature is null)
                {
                    return true;
                }

                _events.Add(new TextDeltaEvent(Continue(Open.Text), part.Text ?? string.Empty)
                {
                    Extensions = ExtensionsOf(part),
                });
                return true;
            case GeminiPartKind.FunctionCall:
                CloseOpen();
                var index = _nextIndex++;
                var id = string.IsNullOrEmpty(part.CallId) ? GeminiToolCallIds.Generate(_responseId, _calls) : part.CallId;
                _calls++;
                _events.Add(new ToolCallStartEvent(index, id, part.Name ?? string.Empty) { Extensions = ExtensionsOf(part) });
                if (!part.Payload.IsEmpty)
                {
                    _events.Add(new ToolCallArgumentsDeltaEvent(index, part.Payload.ToString()));
                }

                _events.Add(new PartStopEvent(index));
                return true;
            default:
                // Images, audio or code execution have no stream event: failing beats losing part of the answer.
                Fail(new ChatError(502, ChatErrorKind.Server,
                    "Gemini streamed content (" + (part.OtherType ?? part.Kind.ToString()) + ") that the gateway cannot "
                    + "pass on in a stream."));
                return false;
        }
    }

    /// <summary>The index of the open part of <paramref name="kind"/>, opening one when another is open.</summary>
    private int Continue(Open kind)
    {
        if (_open != kind)
        {
            CloseOpen();
            _open = kind;
            _openIndex = _nextIndex++;
        }

        return _openIndex;
    }

    private void CloseOpen()
    {
        if (_open != Open.None)
        {
            _events.Add(new PartStopEvent(_openIndex));
            _open = Open.None;
        }
    }

    private void AddUsage()
    {
        if (_usage is not null)
        {
            _events.Add(new UsageEvent(_usage.ToCanonical()) { Extensions = ChatExtensions.Of(_usage.Extensions) });
        }
    }

    private List<ChatStreamEvent> Fail(ChatError error)
    {
        CloseOpen();
        _failed = true;
        _events.Add(new StreamErrorEvent(error));
        return _events;
    }

    private static ChatExtensions ExtensionsOf(GeminiPart part)
    {
        if (part.Signature is not null)
        {
            part.Extensions.Add(new ChatExtension(
                WireFormat.Gemini, GeminiNames.ThoughtSignature, GeminiPartConverter.RawJsonOf(part.Signature)));
        }

        return ChatExtensions.Of(part.Extensions);
    }
}
