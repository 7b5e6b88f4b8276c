using System.Buffers;
using System.Text.Json;
using Spillway.Core.Chat;
using Spillway.Core.Streaming;

namespace Spillway.Core.Codecs.Anthropic;

/// <summary>Content blocks: opening, deltas, closing.</summary>
public sealed partial class AnthropicStreamEncoder
{
    private static readonly JsonEncodedText TextField = JsonEncodedText.Encode("text");
    private static readonly JsonEncodedText PartialJsonField = JsonEncodedText.Encode("partial_json");
    private static readonly JsonEncodedText ThinkingField = JsonEncodedText.Encode("thinking");
    private static readonly JsonEncodedText SignatureField = JsonEncodedText.Encode("signature");

    private void WriteContent(IBufferWriter<byte> output, ChatStreamEvent streamEvent)
    {
        EnsureStarted(output);
        switch (streamEvent)
        {
            case TextDeltaEvent text:
                if (Open(output, text.Index, w => WriteBlockStart(w, "text", text.Extensions, b => b.WriteString("text"u8, ""u8))) &&
                    text.Text.Length > 0)
                {
                    WriteDelta(output, text.Index, "text_delta", TextField, text.Text);
                }

                break;
            case ToolCallStartEvent call:
                Open(output, call.Index, w => WriteBlockStart(w, "tool_use", call.Extensions, b =>
                {
                    b.WriteString("id"u8, call.Id);
                    b.WriteString("name"u8, call.Name);
                    b.WriteStartObject("input"u8);
                    b.WriteEndObject();
                }));
                break;
            case ToolCallArgumentsDeltaEvent arguments:
                if (arguments.Index == _openPart)
                {
                    WriteDelta(output, arguments.Index, "input_json_delta", PartialJsonField, arguments.PartialJson);
                }
                else
                {
                    Fail(output, "The upstream interleaved the arguments of several tool calls, which an Anthropic stream cannot carry.");
                }

                break;
            case ThinkingDeltaEvent thinking:
                if (OpenThinking(output, thinking.Index, thinking.Extensions) && thinking.Text.Length > 0)
                {
                    WriteDelta(output, thinking.Index, "thinking_delta", ThinkingField, thinking.Text);
                }

                break;
            case ThinkingSignatureEvent signature:
                if (OpenThinking(output, signature.Index, signature.Extensions))
                {
                    WriteDelta(output, signature.Index, "signature_delta", SignatureField, signature.Signature);
                }

                break;
            case RedactedThinkingEvent redacted:
                Open(output, redacted.Index, w => WriteBlockStart(
                    w, "redacted_thinking", redacted.Extensions, b => b.WriteString("data"u8, redacted.Data)));
                break;
        }
    }

    private bool OpenThinking(IBufferWriter<byte> output, int index, ChatExtensions extensions) =>
        Open(output, index, w => WriteBlockStart(w, "thinking", extensions, b =>
        {
            b.WriteString("thinking"u8, ""u8);
            b.WriteString("signature"u8, ""u8);
        }));

    /// <summary>Makes <paramref name="part"/> the open block, starting it if new; false when it was already closed.</summary>
    private bool Open(IBufferWriter<byte> output, int part, Action<Utf8JsonWriter> writeBlock)
    {
        if (part == _openPart)
        {
            return true;
        }

        if (_blockIndexes.ContainsKey(part))
        {
            // Anthropic cannot reopen a block; content for a closed part would be lost, so the stream fails.
            Fail(output, "The upstream sent content for a part it had already finished.");
            return false;
        }

        CloseOpenBlock(output);
        var blockIndex = _blockIndexes.Count;
        _blockIndexes[part] = blockIndex;
        _openPart = part;
        WriteEvent(output, SseEventNames.ContentBlockStart, w =>
        {
            w.WriteString("type"u8, "content_block_start"u8);
            w.WriteNumber("index"u8, blockIndex);
            writeBlock(w);
        });
        if (!_pinged)
        {
            // Anthropic pings once right after the first block starts; clients may expect it there.
            _pinged = true;
            WritePing(output);
        }

        return true;
    }

    private void WriteBlockStart(Utf8JsonWriter writer, string type, ChatExtensions extensions, Action<Utf8JsonWriter> fields)
    {
        writer.WriteStartObject("content_block"u8);
        writer.WriteString("type"u8, type);
        fields(writer);
        AnthropicExtensionFields.WriteOwn(writer, extensions);
        _dropped.DropForeign(extensions, WireFormat.Anthropic, "");
        writer.WriteEndObject();
    }

    private void WriteDelta(IBufferWriter<byte> output, int part, string type, JsonEncodedText name, string value)
    {
        var blockIndex = _blockIndexes[part];
        WriteEvent(output, SseEventNames.ContentBlockDelta, w =>
        {
            w.WriteString("type"u8, "content_block_delta"u8);
            w.WriteNumber("index"u8, blockIndex);
            w.WriteStartObject("delta"u8);
            w.WriteString("type"u8, type);
            w.WriteString(name, value);
            w.WriteEndObject();
        });
    }

    private void CloseOpenBlock(IBufferWriter<byte> output)
    {
        if (_openPart < 0)
        {
            return;
        }

        var blockIndex = _blockIndexes[_openPart];
        _openPart = -1;
        WriteEvent(output, SseEventNames.ContentBlockStop, w =>
        {
            w.WriteString("type"u8, "content_block_stop"u8);
            w.WriteNumber("index"u8, blockIndex);
        });
    }

    private void Fail(IBufferWriter<byte> output, string message)
    {
        AnthropicErrorCodec.WriteStreamError(output, new ChatError(502, ChatErrorKind.Server, message));
        _ended = true;
    }
}
