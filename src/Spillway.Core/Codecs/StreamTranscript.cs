using System.Text;
using Spillway.Core.Buffers;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs;

/// <summary>
/// What the client has been sent of one streamed answer, across every upstream call that wrote to it: enough to
/// continue the answer on another route after the upstream broke (the text as the assistant prefill, the parts the
/// client saw, the answer's id and envelope).
/// </summary>
/// <remarks>
/// Relays that decode events add them as canonical events. An OpenAI pass-through relay does not decode what it
/// passes on, so it adds the raw event data instead (a copy, no parsing on the hot path); those are decoded only
/// when a continuation needs them (<see cref="Settle"/>). One transcript per request; not thread-safe.
/// </remarks>
internal sealed class StreamTranscript : IDisposable
{
    /// <summary>Raw event data kept at most; a longer pass-through answer cannot be continued (it ends as before).</summary>
    public const int MaxRawBytes = 4 * 1024 * 1024;

    // Made when first needed: most streams finish without a break, and an OpenAI pass-through keeps only raw chunks.
    private StringBuilder? _text;
    private List<int>? _parts;
    private PooledBufferWriter? _raw;
    private IUpstreamStreamDecoder? _rawDecoder;
    private int _openPart = -1;
    private bool _openIsText;

    /// <summary>The answer's opening as the client saw it (id, model, envelope fields), or null before any.</summary>
    public MessageStartEvent? Start { get; private set; }

    /// <summary>The answer's text the client received, in order.</summary>
    public string Text => _text?.ToString() ?? string.Empty;

    /// <summary>How many characters of text the client received.</summary>
    public int TextLength => _text?.Length ?? 0;

    /// <summary>True when the client received reasoning (thinking) before the break.</summary>
    public bool SawThinking { get; private set; }

    /// <summary>True when a tool call began: such an answer is never continued.</summary>
    public bool SawToolCall { get; private set; }

    /// <summary>True when the raw record outgrew <see cref="MaxRawBytes"/>: the text is no longer known.</summary>
    public bool Overflowed { get; private set; }

    /// <summary>The ids of the parts the client has seen, in order of first appearance: a part's position here is
    /// its block index in an Anthropic client's stream.</summary>
    public IReadOnlyList<int> Parts => (IReadOnlyList<int>?)_parts ?? [];

    /// <summary>The id of the part still open at the break, or -1.</summary>
    public int OpenPart => _openPart;

    /// <summary>True when the part still open at the break is text (a continuation writes into it).</summary>
    public bool OpenPartIsText => _openPart >= 0 && _openIsText;

    /// <summary>An id no part seen so far has, for a part a continuation opens.</summary>
    public int NewPartId => _parts is { Count: > 0 } parts ? parts.Max() + 1 : 0;

    /// <summary>The encoder writing the client's events once a continuation took the stream over (or the translating
    /// relay's, which a continuation goes on with); null while events pass as they came.</summary>
    public IChatStreamEncoder? Encoder { get; set; }

    /// <summary>Usage of the calls before the current one, reported or estimated (null before any broke); the client
    /// and the ledger are shown the sum.</summary>
    public TokenUsage? EarlierUsage { get; set; }

    /// <summary><see cref="EarlierUsage"/> with <paramref name="usage"/> added.</summary>
    public TokenUsage Plus(TokenUsage usage) => EarlierUsage is { } earlier ? earlier + usage : usage;

    /// <summary>Adds canonical events the client was sent.</summary>
    public void Add(List<ChatStreamEvent> events)
    {
        foreach (var streamEvent in events)
        {
            Add(streamEvent);
        }
    }

    /// <summary>Adds one canonical event the client was sent.</summary>
    public void Add(ChatStreamEvent streamEvent)
    {
        switch (streamEvent)
        {
            case MessageStartEvent start:
                Start ??= start;
                break;
            case TextDeltaEvent text:
                See(text.Index, isText: true);
                (_text ??= new StringBuilder()).Append(text.Text);
                break;
            case ThinkingDeltaEvent or ThinkingSignatureEvent or RedactedThinkingEvent:
                See(PartOf(streamEvent), isText: false);
                SawThinking = true;
                break;
            case ToolCallStartEvent or ToolCallArgumentsDeltaEvent:
                See(PartOf(streamEvent), isText: false);
                SawToolCall = true;
                break;
            case PartStopEvent stop when stop.Index == _openPart:
                _openPart = -1;
                break;
        }
    }

    /// <summary>Adds one event passed on as it came, decoded later by <paramref name="decoder"/> if ever needed.</summary>
    public void AddRaw(ReadOnlySpan<byte> data, Func<IUpstreamStreamDecoder> decoder)
    {
        if (Overflowed)
        {
            return;
        }

        var raw = _raw ??= new PooledBufferWriter(4096);
        if (raw.WrittenCount + data.Length + sizeof(int) > MaxRawBytes)
        {
            Overflowed = true;
            return;
        }

        _rawDecoder ??= decoder();
        BitConverter.TryWriteBytes(raw.GetSpan(sizeof(int)), data.Length);
        raw.Advance(sizeof(int));
        data.CopyTo(raw.GetSpan(data.Length));
        raw.Advance(data.Length);
    }

    /// <summary>Decodes the raw events kept so far, so the text and parts are known. Cheap when there are none.</summary>
    public void Settle()
    {
        if (_raw is not { WrittenCount: > 0 } raw || _rawDecoder is null)
        {
            return;
        }

        var decoded = new List<ChatStreamEvent>();
        var rest = raw.WrittenSpan;
        while (rest.Length >= sizeof(int))
        {
            var length = BitConverter.ToInt32(rest);
            var data = rest.Slice(sizeof(int), length);
            rest = rest[(sizeof(int) + length)..];
            decoded.Clear();
            if (_rawDecoder.Decode(null, data, decoded))
            {
                Add(decoded);
            }
        }

        raw.Clear();
    }

    public void Dispose() => _raw?.Dispose();

    private static int PartOf(ChatStreamEvent streamEvent) => streamEvent switch
    {
        ThinkingDeltaEvent e => e.Index,
        ThinkingSignatureEvent e => e.Index,
        RedactedThinkingEvent e => e.Index,
        ToolCallStartEvent e => e.Index,
        ToolCallArgumentsDeltaEvent e => e.Index,
        _ => -1,
    };

    private void See(int part, bool isText)
    {
        _parts ??= [];
        if (!_parts.Contains(part))
        {
            _parts.Add(part);
        }

        _openPart = part;
        _openIsText = isText;
    }
}
