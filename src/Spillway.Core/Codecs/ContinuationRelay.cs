using System.Buffers;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs;

/// <summary>
/// Carries the stream of a continuation call into a client's stream that another upstream began and broke off:
/// nothing opening is sent again, text goes on in the part the client has open, and only what the client has not
/// seen is written (same id, same chunk or event format, usage summed over the calls).
/// </summary>
/// <remarks>
/// What the client already has is checked against the start of the continuation's text:
/// <list type="bullet">
/// <item>after a prefill (the upstream continues the text it was given), only the whitespace the prefill had to
/// leave off (Anthropic refuses a prefill that ends in whitespace) may come again, and is skipped;</item>
/// <item>after a regeneration (an upstream that cannot take a prefill answers afresh), the answer must begin with
/// exactly the text the client has; anything else is a mismatch and nothing of it is written.</item>
/// </list>
/// The continuation's reasoning is not shown: the client already saw reasoning or text of the first answer.
/// </remarks>
internal sealed class ContinuationRelay : IStreamRelay
{
    private readonly IUpstreamStreamDecoder _decoder;
    private readonly IChatStreamEncoder _encoder;
    private readonly StreamTranscript _transcript;
    private readonly string _alreadySent;
    private readonly bool _mustMatch;
    private readonly List<ChatStreamEvent> _decoded = [];
    private readonly List<ChatStreamEvent> _mapped = [];
    private readonly Dictionary<int, int> _parts = [];
    private readonly DroppedHints _dropped = new();
    private int _matched;
    private int _nextPart;

    /// <param name="decoder">Decodes the continuation upstream's events.</param>
    /// <param name="encoder">Writes the client's events; already where the client's stream stands.</param>
    /// <param name="transcript">What the client has; the continuation's new content is added to it.</param>
    /// <param name="alreadySent">Text the client has that the continuation's text may (prefill) or must
    /// (regeneration) begin with.</param>
    /// <param name="mustMatch">True for a regeneration: the text must begin with <paramref name="alreadySent"/>.</param>
    public ContinuationRelay(
        IUpstreamStreamDecoder decoder, IChatStreamEncoder encoder, StreamTranscript transcript, string alreadySent, bool mustMatch)
    {
        _decoder = decoder;
        _encoder = encoder;
        _transcript = transcript;
        _alreadySent = alreadySent;
        _mustMatch = mustMatch;
        _nextPart = transcript.NewPartId;
    }

    public IReadOnlyList<string> DroppedHints => [.. _encoder.DroppedHints, .. _dropped.Names];

    public IChatStreamEncoder? Encoder => _encoder;

    /// <summary>Why the regenerated answer cannot be spliced, once known; nothing more is written then.</summary>
    public string? Mismatch { get; private set; }

    public UpstreamEvent Inspect(string? eventName, ReadOnlyMemory<byte> data)
    {
        _decoded.Clear();
        _mapped.Clear();
        if (!_decoder.Decode(eventName, data.Span, _decoded))
        {
            _decoded.Clear();
            return UpstreamEvent.Malformed;
        }

        Map(_decoded);
        return FactsOf(StreamEventFacts.Of(_decoded, _decoder.IsComplete));
    }

    public void Write(IBufferWriter<byte> output)
    {
        foreach (var streamEvent in _mapped)
        {
            _encoder.Write(streamEvent, output);
        }

        _mapped.Clear();
    }

    public void Record(StreamTranscript transcript) => transcript.Add(_mapped);

    public void Complete(IBufferWriter<byte> output)
    {
        _decoded.Clear();
        _mapped.Clear();
        _decoder.Complete(_decoded);
        Map(_decoded);
        Write(output);
        _encoder.Complete(output);
    }

    /// <summary>The engine's view: content only when there is something new for the client, a mismatch as such.</summary>
    private UpstreamEvent FactsOf(UpstreamEvent upstream)
    {
        var content = false;
        foreach (var streamEvent in _mapped)
        {
            content |= streamEvent is TextDeltaEvent { Text.Length: > 0 } or ToolCallStartEvent or ToolCallArgumentsDeltaEvent;
        }

        return upstream with { IsContentBearing = content, Mismatch = Mismatch };
    }

    private void Map(List<ChatStreamEvent> events)
    {
        foreach (var streamEvent in events)
        {
            if (Mismatch is not null)
            {
                return;
            }

            switch (streamEvent)
            {
                case MessageStartEvent:
                    break;
                case ThinkingDeltaEvent or ThinkingSignatureEvent or RedactedThinkingEvent:
                    _dropped.Add("thinking of the continuation");
                    break;
                case TextDeltaEvent text:
                    MapText(text);
                    break;
                case ToolCallStartEvent call when Unmatched():
                    Mismatch = $"the regenerated answer calls a tool after {_matched} of the {_alreadySent.Length} characters already sent";
                    break;
                case ToolCallStartEvent call:
                    _mapped.Add(call with { Index = PartFor(call.Index, isText: false) });
                    break;
                case ToolCallArgumentsDeltaEvent arguments when _parts.TryGetValue(arguments.Index, out var part):
                    _mapped.Add(arguments with { Index = part });
                    break;
                case PartStopEvent stop when _parts.TryGetValue(stop.Index, out var part):
                    _mapped.Add(stop with { Index = part });
                    break;
                case PartStopEvent:
                    break;
                case FinishEvent when Unmatched():
                    Mismatch = $"the regenerated answer ended after {_matched} of the {_alreadySent.Length} characters already sent";
                    break;
                case UsageEvent usage:
                    _mapped.Add(usage with { Usage = _transcript.Plus(usage.Usage) });
                    break;
                default:
                    _mapped.Add(streamEvent);
                    break;
            }
        }
    }

    private bool Unmatched() => _mustMatch && _matched < _alreadySent.Length;

    private void MapText(TextDeltaEvent text)
    {
        var piece = text.Text.AsSpan();
        var skip = 0;
        while (_matched < _alreadySent.Length && skip < piece.Length)
        {
            if (piece[skip] == _alreadySent[_matched])
            {
                skip++;
                _matched++;
                continue;
            }

            if (_mustMatch)
            {
                Mismatch = $"the regenerated answer differs from the text already sent at character {_matched + 1} of {_alreadySent.Length}";
                return;
            }

            // After a prefill only the left-off whitespace may come again; the answer went on without it.
            _matched = _alreadySent.Length;
        }

        if (skip < piece.Length)
        {
            _mapped.Add(text with { Index = PartFor(text.Index, isText: true), Text = skip == 0 ? text.Text : text.Text[skip..] });
        }
    }

    /// <summary>The client's part for a continuation part: its first text goes on in the client's open text part.</summary>
    private int PartFor(int upstreamPart, bool isText)
    {
        if (_parts.TryGetValue(upstreamPart, out var part))
        {
            return part;
        }

        part = isText && _parts.Count == 0 && _transcript.OpenPartIsText ? _transcript.OpenPart : _nextPart++;
        _parts[upstreamPart] = part;
        return part;
    }
}
