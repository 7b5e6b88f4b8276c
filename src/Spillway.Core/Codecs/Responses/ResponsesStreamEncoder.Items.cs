using System.Buffers;
using System.Text;
using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Responses;

/// <summary>Output items: opening, deltas, closing.</summary>
public sealed partial class ResponsesStreamEncoder
{
    private static readonly JsonEncodedText ContentIndex = JsonEncodedText.Encode("content_index");
    private static readonly JsonEncodedText SummaryIndex = JsonEncodedText.Encode("summary_index");

    private readonly Dictionary<int, int> _partItems = [];
    private readonly List<ResponsesOutputItem> _items = [];
    private OpenItem? _open;

    private void WriteContent(IBufferWriter<byte> output, ChatStreamEvent streamEvent)
    {
        var envelope = EnsureStarted(output);
        switch (streamEvent)
        {
            case TextDeltaEvent text:
                if (Open(output, envelope, text.Index, ResponsesItemKind.Message) && text.Text.Length > 0)
                {
                    WriteDelta(output, "response.output_text.delta", text.Text, w =>
                    {
                        w.WriteNumber("content_index"u8, 0);
                        w.WriteString("delta"u8, text.Text);
                        WriteEmptyLogprobs(w);
                    });
                }

                break;
            case ToolCallStartEvent call:
                Open(output, envelope, call.Index, ResponsesItemKind.FunctionCall, call.Id, call.Name);
                break;
            case ToolCallArgumentsDeltaEvent arguments:
                if (arguments.Index == _open?.Part && _open.Item.Kind == ResponsesItemKind.FunctionCall)
                {
                    if (arguments.PartialJson.Length > 0)
                    {
                        WriteDelta(output, "response.function_call_arguments.delta", arguments.PartialJson, w =>
                            w.WriteString("delta"u8, arguments.PartialJson));
                    }
                }
                else
                {
                    Fail(output, "The upstream interleaved the arguments of several tool calls, which a Responses stream cannot carry.");
                }

                break;
            case ThinkingDeltaEvent thinking:
                if (Open(output, envelope, thinking.Index, ResponsesItemKind.Reasoning) && thinking.Text.Length > 0)
                {
                    WriteDelta(output, "response.reasoning_summary_text.delta", thinking.Text, w =>
                    {
                        w.WriteNumber("summary_index"u8, 0);
                        w.WriteString("delta"u8, thinking.Text);
                    });
                }

                break;
            case ThinkingSignatureEvent:
                _dropped.Add("thinking.signature");
                break;
            case RedactedThinkingEvent:
                _dropped.Add("redacted_thinking");
                break;
        }
    }

    /// <summary>Makes <paramref name="part"/> the open item, adding it if new; false when it was already closed.</summary>
    private bool Open(
        IBufferWriter<byte> output, ResponsesEnvelope envelope, int part, ResponsesItemKind kind, string? callId = null, string? name = null)
    {
        if (part == _open?.Part)
        {
            return true;
        }

        if (_partItems.ContainsKey(part))
        {
            // A closed item cannot take more content; what came would be lost, so the stream fails.
            Fail(output, "The upstream sent content for a part it had already finished.");
            return false;
        }

        CloseOpenItem(output);
        var outputIndex = _items.Count;
        var item = new ResponsesOutputItem(kind, ResponsesOutputItem.IdFor(kind, envelope.Id, outputIndex), "")
        {
            CallId = callId,
            Name = name,
        };
        _partItems[part] = outputIndex;
        _items.Add(item);
        _open = new OpenItem(part, outputIndex, item);
        WriteEvent(output, "response.output_item.added", w =>
        {
            w.WriteNumber("output_index"u8, outputIndex);
            w.WritePropertyName("item"u8);
            ResponsesItemWriter.Write(w, item, ResponsesStatus.InProgress);
        });
        if (kind == ResponsesItemKind.Message)
        {
            WritePartEvent(output, "response.content_part.added", item.Id, outputIndex, ContentIndex, w => ResponsesItemWriter.WriteTextPart(w, ""));
        }
        else if (kind == ResponsesItemKind.Reasoning)
        {
            WritePartEvent(output, "response.reasoning_summary_part.added", item.Id, outputIndex, SummaryIndex, w => ResponsesItemWriter.WriteSummaryPart(w, ""));
        }

        return true;
    }

    private void WriteDelta(IBufferWriter<byte> output, string type, string text, Action<Utf8JsonWriter> fields)
    {
        var open = _open!;
        open.Text.Append(text);
        WriteItemEvent(output, type, open.Item.Id, open.OutputIndex, fields);
    }

    private void CloseOpenItem(IBufferWriter<byte> output)
    {
        if (_open is not { } open)
        {
            return;
        }

        _open = null;
        var item = open.Snapshot();
        _items[open.OutputIndex] = item;
        switch (item.Kind)
        {
            case ResponsesItemKind.Message:
                WriteItemEvent(output, "response.output_text.done", item.Id, open.OutputIndex, w =>
                {
                    w.WriteNumber("content_index"u8, 0);
                    w.WriteString("text"u8, item.Text);
                    WriteEmptyLogprobs(w);
                });
                WritePartEvent(output, "response.content_part.done", item.Id, open.OutputIndex, ContentIndex, w => ResponsesItemWriter.WriteTextPart(w, item.Text));
                break;
            case ResponsesItemKind.FunctionCall:
                WriteItemEvent(output, "response.function_call_arguments.done", item.Id, open.OutputIndex, w =>
                {
                    w.WriteString("name"u8, item.Name);
                    w.WriteString("arguments"u8, item.Text);
                });
                break;
            case ResponsesItemKind.Reasoning:
                WriteItemEvent(output, "response.reasoning_summary_text.done", item.Id, open.OutputIndex, w =>
                {
                    w.WriteNumber("summary_index"u8, 0);
                    w.WriteString("text"u8, item.Text);
                });
                WritePartEvent(output, "response.reasoning_summary_part.done", item.Id, open.OutputIndex, SummaryIndex, w => ResponsesItemWriter.WriteSummaryPart(w, item.Text));
                break;
        }

        WriteEvent(output, "response.output_item.done", w =>
        {
            w.WriteNumber("output_index"u8, open.OutputIndex);
            w.WritePropertyName("item"u8);
            ResponsesItemWriter.Write(w, item, ResponsesStatus.Completed);
        });
    }

    /// <summary>An event about one item: <c>item_id</c> and <c>output_index</c>, then <paramref name="fields"/>.</summary>
    private void WriteItemEvent(IBufferWriter<byte> output, string type, string itemId, int outputIndex, Action<Utf8JsonWriter> fields) =>
        WriteEvent(output, type, w =>
        {
            w.WriteString("item_id"u8, itemId);
            w.WriteNumber("output_index"u8, outputIndex);
            fields(w);
        });

    /// <summary>A content or summary part event: the item's place, part index 0, and the part.</summary>
    private void WritePartEvent(
        IBufferWriter<byte> output, string type, string itemId, int outputIndex, JsonEncodedText indexName, Action<Utf8JsonWriter> part) =>
        WriteItemEvent(output, type, itemId, outputIndex, w =>
        {
            w.WriteNumber(indexName, 0);
            w.WritePropertyName("part"u8);
            part(w);
        });

    private static void WriteEmptyLogprobs(Utf8JsonWriter writer)
    {
        writer.WriteStartArray("logprobs"u8);
        writer.WriteEndArray();
    }

    private void Fail(IBufferWriter<byte> output, string message) =>
        WriteError(output, new ChatError(502, ChatErrorKind.Server, message));

    /// <summary>The item being streamed: its canonical part, its place, and its text so far.</summary>
    private sealed class OpenItem(int part, int outputIndex, ResponsesOutputItem item)
    {
        public int Part { get; } = part;

        public int OutputIndex { get; } = outputIndex;

        public ResponsesOutputItem Item { get; } = item;

        public StringBuilder Text { get; } = new();

        public ResponsesOutputItem Snapshot() => Item with { Text = Text.ToString() };
    }
}
