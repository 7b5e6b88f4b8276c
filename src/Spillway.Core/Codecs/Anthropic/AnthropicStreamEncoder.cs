using System.Buffers;
using System.Text.Json;
using Spillway.Core.Chat;
using Spillway.Core.Streaming;

namespace Spillway.Core.Codecs.Anthropic;

/// <summary>
/// Writes canonical stream events as the exact event sequence Anthropic clients expect: <c>message_start</c>, per
/// block <c>content_block_start</c> / <c>content_block_delta</c>… / <c>content_block_stop</c> (with one
/// <c>ping</c> after the first block starts, as Anthropic sends it), then <c>message_delta</c> with the stop reason
/// and usage, and <c>message_stop</c>. A failure ends the stream with <c>event: error</c> instead.
/// </summary>
/// <remarks>
/// Anthropic blocks are strictly sequential, so a part that starts closes the open one, and block indexes are
/// renumbered from 0 in order of appearance. <c>message_delta</c> waits for <see cref="Complete"/>, because an
/// OpenAI-format upstream reports usage only after its finish reason. One encoder per stream; not thread-safe.
/// </remarks>
public sealed partial class AnthropicStreamEncoder : IChatStreamEncoder
{
    private readonly ArrayBufferWriter<byte> _json = new(512);
    private readonly Dictionary<int, int> _blockIndexes = [];
    private readonly DroppedHints _dropped = new();
    private Utf8JsonWriter? _writer;

    private bool _started;
    private bool _ended;
    private bool _pinged;
    private bool _lastWasPing;
    private int _openPart = -1;
    private TokenUsage _startUsage;
    private TokenUsage? _usage;
    private ChatExtensions _usageExtensions = ChatExtensions.Empty;
    private FinishEvent? _finish;

    /// <summary>What was left out because Anthropic cannot carry it, each name once.</summary>
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
                WriteMessageStart(output, start);
                break;
            case PingEvent:
                if (_started && !_lastWasPing)
                {
                    WritePing(output);
                }

                break;
            case FinishEvent finish:
                _finish = finish;
                CloseOpenBlock(output);
                break;
            case UsageEvent usage:
                _usage = usage.Usage;
                _usageExtensions = usage.Extensions;
                break;
            case StreamErrorEvent error:
                AnthropicErrorCodec.WriteStreamError(output, error.Error);
                _ended = true;
                break;
            case PartStopEvent stop:
                if (stop.Index == _openPart)
                {
                    CloseOpenBlock(output);
                }

                break;
            default:
                WriteContent(output, streamEvent);
                break;
        }
    }

    /// <summary>
    /// Ends a stream whose upstream finished normally: closes the open block and writes <c>message_delta</c> and
    /// <c>message_stop</c>. Does nothing after an error event.
    /// </summary>
    public void Complete(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_ended)
        {
            return;
        }

        EnsureStarted(output);
        CloseOpenBlock(output);
        var usage = _usage ?? _startUsage;
        var finish = _finish?.Finish ?? new ChatFinish(FinishReason.Stop);
        WriteEvent(output, SseEventNames.MessageDelta, w =>
        {
            w.WriteString("type"u8, "message_delta"u8);
            w.WriteStartObject("delta"u8);
            w.WriteString("stop_reason"u8, AnthropicStopReasons.Encode(finish));
            w.WriteString("stop_sequence"u8, finish.StopSequence);
            AnthropicExtensionFields.WriteOwn(w, _finish?.Extensions ?? ChatExtensions.Empty);
            w.WriteEndObject();
            w.WriteStartObject("usage"u8);

            // The input figures go out again only when they changed since message_start (an upstream that reports
            // input at the end); Anthropic's own streams repeat just the output count.
            if (usage.UncachedInputTokens != _startUsage.UncachedInputTokens ||
                usage.CacheWriteInputTokens != _startUsage.CacheWriteInputTokens ||
                usage.CachedInputTokens != _startUsage.CachedInputTokens)
            {
                AnthropicUsage.WriteInput(w, usage);
            }

            w.WriteNumber("output_tokens"u8, usage.OutputTokens);
            AnthropicUsage.WriteThinkingDetails(w, usage);
            AnthropicUsage.WriteExtras(w, _usageExtensions);
            w.WriteEndObject();
        });
        WriteEvent(output, SseEventNames.MessageStop, w => w.WriteString("type"u8, "message_stop"u8));
        _ended = true;
    }

    /// <summary>
    /// Goes on with a stream whose <c>message_start</c> (and ping) the client has: the blocks it saw keep their
    /// indexes, and the one still open stays open for more of its content.
    /// </summary>
    public void Resume(StreamResumePoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        _started = true;
        _pinged = true;
        _startUsage = point.Start.Usage ?? _startUsage;
        for (var i = 0; i < point.Parts.Count; i++)
        {
            _blockIndexes[point.Parts[i]] = i;
        }

        _openPart = point.OpenPart;
    }

    private void WriteMessageStart(IBufferWriter<byte> output, MessageStartEvent start)
    {
        if (_started)
        {
            return;
        }

        _started = true;
        _startUsage = start.Usage ?? _startUsage;
        WriteEvent(output, SseEventNames.MessageStart, w =>
        {
            w.WriteString("type"u8, "message_start"u8);
            w.WriteStartObject("message"u8);
            w.WriteString("id"u8, ResponseIds.ForAnthropic(start.Id));
            w.WriteString("type"u8, "message"u8);
            w.WriteString("role"u8, "assistant"u8);
            w.WriteString("model"u8, start.Model);
            w.WriteStartArray("content"u8);
            w.WriteEndArray();
            w.WriteNull("stop_reason"u8);
            w.WriteNull("stop_sequence"u8);
            AnthropicUsage.Write(w, _startUsage, start.Extensions);
            AnthropicExtensionFields.WriteOwn(w, start.Extensions);
            w.WriteEndObject();
        });
    }

    private void EnsureStarted(IBufferWriter<byte> output)
    {
        if (!_started)
        {
            // An upstream that sent content before saying who answers: the client still needs a message_start.
            WriteMessageStart(output, new MessageStartEvent("", ""));
        }
    }

    private void WritePing(IBufferWriter<byte> output)
    {
        WriteEvent(output, SseEventNames.Ping, w => w.WriteString("type"u8, "ping"u8));
        _lastWasPing = true;
    }

    private void WriteEvent(IBufferWriter<byte> output, string name, Action<Utf8JsonWriter> body)
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
        body(_writer);
        _writer.WriteEndObject();
        _writer.Flush();
        SseWriter.WriteEvent(output, _json.WrittenSpan, name);
        _lastWasPing = false;
    }
}
