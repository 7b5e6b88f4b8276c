using System.Buffers;
using System.Text.Json;
using Spillway.Core.Chat;
using Spillway.Core.Streaming;

namespace Spillway.Core.Codecs.OpenAI;

/// <summary>
/// Writes canonical stream events as OpenAI <c>chat.completion.chunk</c> events: the same <c>id</c>,
/// <c>created</c> and <c>model</c> on every chunk, the role chunk first, text and tool call fragments, the finish
/// chunk, a usage chunk only when the client asked for one, and <c>[DONE]</c> last. A failure ends the stream with
/// <c>data: {"error":{...}}</c> and no <c>[DONE]</c>.
/// </summary>
/// <remarks>Reasoning has no place in an OpenAI chunk: it is dropped and reported. One encoder per stream.</remarks>
public sealed class OpenAIChatStreamEncoder : IChatStreamEncoder
{
    private readonly ArrayBufferWriter<byte> _json = new(512);
    private readonly Dictionary<int, int> _toolIndexes = [];
    private readonly DroppedHints _dropped = new();
    private readonly long _created;
    private readonly bool _includeUsage;
    private Utf8JsonWriter? _writer;
    private JsonEncodedText _id;
    private JsonEncodedText _model;
    private ChatExtensions _metadata = ChatExtensions.Empty;
    private bool _started;
    private bool _ended;
    private TokenUsage? _usage;

    /// <summary>Creates an encoder for one stream.</summary>
    /// <param name="created">The <c>created</c> Unix time, unless the upstream (an OpenAI-format host) gave its own.</param>
    /// <param name="includeUsage">True when the client asked for usage (<c>stream_options.include_usage</c>).</param>
    public OpenAIChatStreamEncoder(long created, bool includeUsage)
    {
        _created = created;
        _includeUsage = includeUsage;
        _id = JsonEncodedText.Encode("");
        _model = _id;
    }

    /// <summary>What was left out because OpenAI cannot carry it, each name once.</summary>
    public IReadOnlyList<string> DroppedHints => _dropped.Names;

    /// <summary>Writes what <paramref name="streamEvent"/> means for the client, if anything.</summary>
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
            case TextDeltaEvent text when text.Text.Length > 0:
                Start(output, null);
                WriteChunk(output, w => w.WriteString("content"u8, text.Text));
                break;
            case ToolCallStartEvent call:
                Start(output, null);
                var index = _toolIndexes.Count;
                _toolIndexes[call.Index] = index;
                WriteChunk(output, w => WriteToolCall(w, index, call.Id, call.Name, ""));
                break;
            case ToolCallArgumentsDeltaEvent arguments when arguments.PartialJson.Length > 0:
                if (_toolIndexes.TryGetValue(arguments.Index, out var toolIndex))
                {
                    WriteChunk(output, w => WriteToolCall(w, toolIndex, null, null, arguments.PartialJson));
                }

                break;
            case ThinkingDeltaEvent or ThinkingSignatureEvent or RedactedThinkingEvent:
                _dropped.Add("thinking");
                break;
            case FinishEvent finish:
                Start(output, null);
                WriteChunk(output, null, OpenAIFinishReasons.Encode(finish.Finish));
                break;
            case UsageEvent usage:
                _usage = usage.Usage;
                break;
            case StreamErrorEvent error:
                OpenAIChatErrorCodec.WriteStreamError(output, error.Error);
                _ended = true;
                break;
        }
    }

    /// <summary>Ends a stream whose upstream finished normally: the usage chunk when asked, then <c>[DONE]</c>.</summary>
    public void Complete(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_ended)
        {
            return;
        }

        Start(output, null);
        if (_includeUsage && _usage is { } usage)
        {
            WriteEnvelope(output, w =>
            {
                w.WriteStartArray("choices"u8);
                w.WriteEndArray();
                OpenAIUsageWriter.Write(w, usage);
            });
        }

        SseWriter.WriteDone(output);
        _ended = true;
    }

    /// <summary>Goes on with a stream whose role chunk the client has: same id, <c>created</c>, model and fields.</summary>
    public void Resume(StreamResumePoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        _started = true;
        _id = JsonEncodedText.Encode(point.Start.Id);
        _model = JsonEncodedText.Encode(point.Start.Model);
        _metadata = point.Start.Extensions;
    }

    private void Start(IBufferWriter<byte> output, MessageStartEvent? start)
    {
        if (_started)
        {
            return;
        }

        _started = true;
        _id = JsonEncodedText.Encode(ResponseIds.ForOpenAI(start?.Id));
        if (start is not null)
        {
            _model = JsonEncodedText.Encode(start.Model);
            _metadata = start.Extensions;
        }

        // The role chunk OpenAI always sends first.
        WriteChunk(output, w =>
        {
            w.WriteString("role"u8, "assistant"u8);
            w.WriteString("content"u8, ""u8);
            w.WriteNull("refusal"u8);
        });
    }

    private static void WriteToolCall(Utf8JsonWriter writer, int index, string? id, string? name, string arguments)
    {
        writer.WriteStartArray("tool_calls"u8);
        writer.WriteStartObject();
        writer.WriteNumber("index"u8, index);
        if (id is not null)
        {
            writer.WriteString("id"u8, id);
            writer.WriteString("type"u8, "function"u8);
        }

        writer.WriteStartObject("function"u8);
        if (name is not null)
        {
            writer.WriteString("name"u8, name);
        }

        writer.WriteString("arguments"u8, arguments);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndArray();
    }

    private void WriteChunk(IBufferWriter<byte> output, Action<Utf8JsonWriter>? delta, string? finishReason = null) =>
        WriteEnvelope(output, w =>
        {
            w.WriteStartArray("choices"u8);
            w.WriteStartObject();
            w.WriteNumber("index"u8, 0);
            w.WriteStartObject("delta"u8);
            delta?.Invoke(w);
            w.WriteEndObject();
            w.WriteNull("logprobs"u8);
            w.WriteString("finish_reason"u8, finishReason);
            w.WriteEndObject();
            w.WriteEndArray();
        });

    private void WriteEnvelope(IBufferWriter<byte> output, Action<Utf8JsonWriter> body)
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

        var w = _writer;
        w.WriteStartObject();
        w.WriteString("id"u8, _id);
        w.WriteString("object"u8, "chat.completion.chunk"u8);
        if (_metadata.Find(WireFormat.OpenAI, "created") is { } created)
        {
            w.WritePropertyName("created"u8);
            created.WriteTo(w);
        }
        else
        {
            w.WriteNumber("created"u8, _created);
        }

        w.WriteString("model"u8, _model);
        foreach (var item in _metadata.Of(WireFormat.OpenAI))
        {
            if (item.Name != "created")
            {
                w.WritePropertyName(item.Name);
                item.Value.WriteTo(w);
            }
        }

        body(w);
        w.WriteEndObject();
        w.Flush();
        SseWriter.WriteEvent(output, _json.WrittenSpan);
    }
}
