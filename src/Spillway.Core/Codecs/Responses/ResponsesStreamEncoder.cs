using System.Buffers;
using System.Text.Json;
using Spillway.Core.Chat;
using Spillway.Core.Streaming;

namespace Spillway.Core.Codecs.Responses;

/// <summary>
/// Writes canonical stream events as the Responses event sequence, each <c>event: &lt;type&gt;</c> with a
/// <c>sequence_number</c> counted from 0: <c>response.created</c> and <c>response.in_progress</c>, then per output
/// item <c>response.output_item.added</c>, its deltas and <c>.done</c> events and <c>response.output_item.done</c>,
/// and last <c>response.completed</c> (or <c>response.incomplete</c>) with the whole response and its usage. A
/// failure ends the stream with an <c>error</c> event and <c>response.failed</c> instead.
/// </summary>
/// <remarks>
/// Items are written one after another, as OpenAI streams them, so a part that starts closes the open one; parts
/// become output items in order of appearance. Reasoning text is streamed as the summary of a <c>reasoning</c>
/// item. One encoder per stream; not thread-safe.
/// </remarks>
public sealed partial class ResponsesStreamEncoder : IChatStreamEncoder
{
    /// <summary>The encoder writing into each client body, so an error the engine writes there continues its numbering.</summary>

    private readonly ArrayBufferWriter<byte> _json = new(512);
    private readonly DroppedHints _dropped = new();
    private readonly long _createdAt;
    private readonly ChatRequest? _request;
    private Utf8JsonWriter? _writer;
    private ResponsesEnvelope? _envelope;
    private long _sequence;
    private bool _ended;
    private FinishEvent? _finish;
    private TokenUsage? _usage;

    /// <summary>Creates an encoder for one stream.</summary>
    /// <param name="createdAt">The <c>created_at</c> Unix time.</param>
    /// <param name="request">The client's request, whose settings the response object echoes; null writes defaults.</param>
    public ResponsesStreamEncoder(long createdAt, ChatRequest? request = null)
    {
        _createdAt = createdAt;
        _request = request;
    }

    /// <summary>What was left out because a Responses stream cannot carry it, each name once.</summary>
    public IReadOnlyList<string> DroppedHints => _dropped.Names;

    /// <summary>Writes what <paramref name="streamEvent"/> means for the client, if anything yet.</summary>
    public void Write(ChatStreamEvent streamEvent, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(streamEvent);
        ArgumentNullException.ThrowIfNull(output);
        if (_ended)
        {
            return;
        }

        switch (streamEvent)
        {
            case MessageStartEvent start:
                Start(output, start);
                break;
            case PingEvent:
                break;
            case FinishEvent finish:
                _finish = finish;
                CloseOpenItem(output);
                break;
            case UsageEvent usage:
                _usage = usage.Usage;
                break;
            case StreamErrorEvent error:
                WriteError(output, error.Error);
                break;
            case PartStopEvent stop:
                if (stop.Index == _open?.Part)
                {
                    CloseOpenItem(output);
                }

                break;
            default:
                WriteContent(output, streamEvent);
                break;
        }
    }

    /// <summary>
    /// Ends a stream whose upstream finished normally: closes the open item and writes <c>response.completed</c>,
    /// or <c>response.incomplete</c> when the answer was cut. Does nothing after an error.
    /// </summary>
    public void Complete(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_ended)
        {
            return;
        }

        var envelope = EnsureStarted(output);
        CloseOpenItem(output);
        var (status, reason) = ResponsesStatus.Of(_finish?.Finish);
        var type = status == ResponsesStatus.Completed ? "response.completed" : "response.incomplete";
        WriteEvent(output, type, w =>
        {
            w.WritePropertyName("response"u8);
            ResponsesObjectWriter.Write(w, envelope, status, _items, _usage, reason);
        });
        _ended = true;
    }

    /// <summary>
    /// Writes the <c>error</c> event, numbered after the events already written, then <c>response.failed</c>
    /// with what was output so far; nothing follows.
    /// </summary>
    public void WriteError(IBufferWriter<byte> output, ChatError error)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (_ended)
        {
            return;
        }

        ResponsesErrorWriter.WriteStreamError(output, error, _sequence++);
        var envelope = _envelope ?? new ResponsesEnvelope(ResponseIds.ForResponses(null), _createdAt, "", _request);
        var items = _open is null ? _items : [.. _items.Take(_open.OutputIndex), _open.Snapshot()];
        WriteEvent(output, "response.failed", w =>
        {
            w.WritePropertyName("response"u8);
            ResponsesObjectWriter.Write(w, envelope, ResponsesStatus.Failed, items, _usage, error: error);
        });
        _ended = true;
    }

    /// <summary>
    /// Goes on with a stream whose <c>response.created</c> the client has: same id and model, and the parts it saw
    /// keep their output indexes (the one still open continues as message text). A Responses client is always
    /// translated, so the engine hands the first encoder over instead and this is a fallback: the text of earlier
    /// parts is not known here, and the numbering restarts from 0.
    /// </summary>
    public void Resume(StreamResumePoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        _envelope = new ResponsesEnvelope(point.Start.Id, _createdAt, point.Start.Model, _request);
        foreach (var part in point.Parts)
        {
            var item = new ResponsesOutputItem(
                ResponsesItemKind.Message, ResponsesOutputItem.IdFor(ResponsesItemKind.Message, _envelope.Id, _items.Count), "");
            _partItems[part] = _items.Count;
            if (part == point.OpenPart)
            {
                _open = new OpenItem(part, _items.Count, item);
            }

            _items.Add(item);
        }
    }

    /// <summary>
    /// Takes over a stream a Responses upstream has been writing to the client as it came (a pass-through): the
    /// response keeps the upstream's id and model, the items the client saw keep their ids, places and text, the
    /// one still open (<paramref name="openPart"/>, or -1) goes on, and numbering continues after
    /// <paramref name="lastSequence"/>. Items of the upstream with no canonical part (built-in tool calls) are not
    /// known here, so an item opened after the takeover is placed after the known ones.
    /// </summary>
    internal void TakeOver(string responseId, string model, IReadOnlyList<ResponsesOutputItem> items, int openPart, long lastSequence)
    {
        _envelope = new ResponsesEnvelope(responseId, _createdAt, model, _request);
        _sequence = lastSequence + 1;
        for (var part = 0; part < items.Count; part++)
        {
            var item = items[part];
            _partItems[part] = _items.Count;
            if (part == openPart)
            {
                var open = new OpenItem(part, _items.Count, item with { Text = "" });
                open.Text.Append(item.Text);
                _open = open;
            }

            _items.Add(item);
        }
    }

    private void Start(IBufferWriter<byte> output, MessageStartEvent start)
    {
        if (_envelope is not null)
        {
            return;
        }

        _envelope = new ResponsesEnvelope(ResponseIds.ForResponses(start.Id), _createdAt, start.Model, _request);
        var envelope = _envelope;
        WriteEvent(output, "response.created", w =>
        {
            w.WritePropertyName("response"u8);
            ResponsesObjectWriter.Write(w, envelope, ResponsesStatus.InProgress, [], null);
        });
        WriteEvent(output, "response.in_progress", w =>
        {
            w.WritePropertyName("response"u8);
            ResponsesObjectWriter.Write(w, envelope, ResponsesStatus.InProgress, [], null);
        });
    }

    private ResponsesEnvelope EnsureStarted(IBufferWriter<byte> output)
    {
        if (_envelope is null)
        {
            // Content before the upstream said who answers: the client still needs response.created.
            Start(output, new MessageStartEvent("", _request?.Model ?? ""));
        }

        return _envelope!;
    }

    private void WriteEvent(IBufferWriter<byte> output, string type, Action<Utf8JsonWriter> body)
    {
        _json.ResetWrittenCount();
        if (_writer is null)
        {
            _writer = ChatJsonWriter.Create(_json);
        }
        else
        {
            _writer.Reset(_json);
        }

        _writer.WriteStartObject();
        _writer.WriteString("type"u8, type);
        body(_writer);
        _writer.WriteNumber("sequence_number"u8, _sequence++);
        _writer.WriteEndObject();
        _writer.Flush();
        SseWriter.WriteEvent(output, _json.WrittenSpan, type);
    }
}
