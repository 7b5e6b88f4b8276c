using System.Buffers;
using System.Text;
using System.Text.Json;
using Spillway.Core.Buffers;
using Spillway.Core.Chat;
using Spillway.Core.Streaming;

namespace Spillway.Core.Codecs.Gemini;

/// <summary>
/// Encodes canonical stream events as a Gemini SSE stream: every event a whole <c>GenerateContentResponse</c>
/// chunk in a <c>data:</c> line, with no event names and no end marker, as <c>streamGenerateContent?alt=sse</c>
/// sends them.
/// </summary>
/// <remarks>
/// <para>
/// Each text or thinking delta is a chunk of its own. A tool call is held until its part stops and then sent
/// whole, as Gemini sends calls. The finish reason and the usage go together in the last chunk, written by
/// <see cref="Complete"/>, because Gemini clients read usage from the last chunk.
/// </para>
/// <para>
/// Gemini streams have no opening event, so taking over a stream another upstream began (<see cref="Resume"/>) only
/// keeps the answer's id (<c>responseId</c>) and model as the client saw them.
/// </para>
/// <para>Not thread-safe: one encoder per stream.</para>
/// </remarks>
public sealed class GeminiStreamEncoder : IChatStreamEncoder
{
    private readonly GeminiHints _hints = new();
    private readonly Dictionary<int, PendingCall> _calls = [];
    private readonly ArrayBufferWriter<byte> _chunk = new(512);
    private string _id = string.Empty;
    private string _model = string.Empty;
    private ChatFinish? _finish;
    private ChatExtensions _finishExtensions = ChatExtensions.Empty;
    private TokenUsage? _usage;
    private ChatExtensions _usageExtensions = ChatExtensions.Empty;
    private bool _ended;
    private bool _resumed;

    /// <summary>Vendor fields and content left out so far (another format's fields, redacted reasoning).</summary>
    public IReadOnlyList<string> DroppedHints => _hints.Names;

    /// <summary>Writes what <paramref name="streamEvent"/> adds to the stream into <paramref name="output"/>.</summary>
    public void Write(ChatStreamEvent streamEvent, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(streamEvent);
        if (_ended)
        {
            return;
        }

        // Stream events cannot be refused halfway, so a foreign field is only reported.
        foreach (var extension in streamEvent.Extensions.Foreign(WireFormat.Gemini))
        {
            _hints.Add(extension.Name);
        }

        switch (streamEvent)
        {
            case MessageStartEvent when _resumed:
                // The continuing upstream's own id and model: the client keeps the first ones.
                break;
            case MessageStartEvent start:
                _id = start.Id;
                _model = start.Model;
                _usage = start.Usage ?? _usage;
                break;
            case TextDeltaEvent text:
                WritePart(output, writer => writer.WriteString("text"u8, text.Text), text.Extensions);
                break;
            case ThinkingDeltaEvent thinking:
                WritePart(output, writer =>
                {
                    writer.WriteString("text"u8, thinking.Text);
                    writer.WriteBoolean("thought"u8, true);
                }, ChatExtensions.Empty);
                break;
            case ThinkingSignatureEvent signature:
                WritePart(output, writer =>
                {
                    writer.WriteString("text"u8, string.Empty);
                    writer.WriteBoolean("thought"u8, true);
                    writer.WriteString("thoughtSignature"u8, signature.Signature);
                }, ChatExtensions.Empty);
                break;
            case ToolCallStartEvent call:
                _calls[call.Index] = new PendingCall(call.Id, call.Name, new StringBuilder(), call.Extensions);
                break;
            case ToolCallArgumentsDeltaEvent delta when _calls.TryGetValue(delta.Index, out var pending):
                pending.Arguments.Append(delta.PartialJson);
                break;
            case PartStopEvent stop when _calls.Remove(stop.Index, out var done):
                WriteCall(output, done);
                break;
            case RedactedThinkingEvent:
                _hints.Add("redacted_thinking");
                break;
            case FinishEvent finish:
                _finish = finish.Finish;
                _finishExtensions = finish.Extensions;
                break;
            case UsageEvent usage:
                _usage = usage.Usage;
                _usageExtensions = usage.Extensions;
                break;
            case StreamErrorEvent error:
                GeminiErrorCodec.WriteStreamError(output, error.Error);
                _ended = true;
                break;
        }
    }

    public void Resume(StreamResumePoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        _id = point.Start.Id;
        _model = point.Start.Model;
        _usage = point.Start.Usage ?? _usage;
        _resumed = true;
    }

    /// <summary>
    /// Writes the last chunk, with the finish reason and usage, once the canonical stream has ended. A stream
    /// that never finished gets nothing here: the caller ends it with an error event instead.
    /// </summary>
    public void Complete(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_ended || _finish is not { } finish)
        {
            return;
        }

        _ended = true;
        var blocked = _finishExtensions.Find(WireFormat.Gemini, GeminiNames.PromptFeedback);
        WriteChunk(output, writer =>
        {
            if (blocked is null || finish.Reason != FinishReason.ContentFilter)
            {
                writer.WriteStartArray("candidates"u8);
                writer.WriteStartObject();
                writer.WriteString("finishReason"u8, GeminiFinishReasons.ToGemini(finish));
                    GeminiResponseEncoder.WriteCandidateExtensions(writer, _finishExtensions);
                writer.WriteEndObject();
                writer.WriteEndArray();
            }

            if (blocked is { } feedback)
            {
                writer.WritePropertyName("promptFeedback"u8);
                feedback.WriteTo(writer);
            }

            if (_usage is { } usage)
            {
                GeminiUsage.Write(writer, usage, _usageExtensions);
            }
        });
    }

    private void WriteCall(IBufferWriter<byte> output, PendingCall call)
    {
        var arguments = call.Arguments.ToString();
        if (!string.IsNullOrWhiteSpace(arguments) && !JsonCompleteness.IsObject(arguments))
        {
            Write(new StreamErrorEvent(new ChatError(502, ChatErrorKind.Server,
                $"The model's arguments for '{call.Name}' are not a JSON object, which a Gemini function call needs.")), output);
            return;
        }

        WritePart(output, writer =>
        {
            writer.WriteStartObject("functionCall"u8);
            writer.WriteString("name"u8, call.Name);
            writer.WritePropertyName("args"u8);
            GeminiJson.WriteRaw(writer, string.IsNullOrWhiteSpace(arguments) ? "{}" : arguments);
            if (call.Id.Length > 0 && !GeminiToolCallIds.IsGenerated(call.Id))
            {
                writer.WriteString("id"u8, call.Id);
            }

            writer.WriteEndObject();
        }, call.Extensions);
    }

    private void WritePart(IBufferWriter<byte> output, Action<Utf8JsonWriter> writePart, ChatExtensions extensions) =>
        WriteChunk(output, writer =>
        {
            writer.WriteStartArray("candidates"u8);
            writer.WriteStartObject();
            writer.WriteStartObject("content"u8);
            writer.WriteStartArray("parts"u8);
            writer.WriteStartObject();
            writePart(writer);
            if (extensions.Find(WireFormat.Gemini, GeminiNames.ThoughtSignature) is { } signature)
            {
                writer.WritePropertyName("thoughtSignature"u8);
                signature.WriteTo(writer);
            }

            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteString("role"u8, "model"u8);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndArray();
        });

    private void WriteChunk(IBufferWriter<byte> output, Action<Utf8JsonWriter> writeBody)
    {
        _chunk.ResetWrittenCount();
        using (var writer = ChatJsonWriter.Create(_chunk))
        {
            writer.WriteStartObject();
            writeBody(writer);
            writer.WriteString("modelVersion"u8, _model);
            writer.WriteString("responseId"u8, _id);
            writer.WriteEndObject();
        }

        SseWriter.WriteEvent(output, _chunk.WrittenSpan);
    }

    private sealed record PendingCall(string Id, string Name, StringBuilder Arguments, ChatExtensions Extensions);
}
