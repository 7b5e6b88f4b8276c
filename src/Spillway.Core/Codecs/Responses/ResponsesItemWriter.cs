using System.Text.Json;

namespace Spillway.Core.Codecs.Responses;

/// <summary>Writes one output item object, as <c>output</c> holds it and stream events carry it.</summary>
internal static class ResponsesItemWriter
{
    /// <summary>Writes <paramref name="item"/> with <paramref name="status"/>; an <c>in_progress</c> item is written empty, as it opens.</summary>
    public static void Write(Utf8JsonWriter writer, ResponsesOutputItem item, string status)
    {
        var open = status == ResponsesStatus.InProgress;
        writer.WriteStartObject();
        writer.WriteString("id"u8, item.Id);
        switch (item.Kind)
        {
            case ResponsesItemKind.Reasoning:
                writer.WriteString("type"u8, "reasoning"u8);
                writer.WriteStartArray("summary"u8);
                if (!open)
                {
                    WriteSummaryPart(writer, item.Text);
                }

                writer.WriteEndArray();
                break;
            case ResponsesItemKind.Message:
                writer.WriteString("type"u8, "message"u8);
                writer.WriteString("status"u8, status);
                writer.WriteString("role"u8, "assistant"u8);
                writer.WriteStartArray("content"u8);
                if (!open)
                {
                    WriteTextPart(writer, item.Text);
                }

                writer.WriteEndArray();
                break;
            case ResponsesItemKind.FunctionCall:
                writer.WriteString("type"u8, "function_call"u8);
                writer.WriteString("status"u8, status);
                writer.WriteString("arguments"u8, open ? "" : item.Text);
                writer.WriteString("call_id"u8, item.CallId);
                writer.WriteString("name"u8, item.Name);
                break;
        }

        writer.WriteEndObject();
    }

    /// <summary>An <c>output_text</c> content part.</summary>
    public static void WriteTextPart(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, "output_text"u8);
        writer.WriteString("text"u8, text);
        writer.WriteStartArray("annotations"u8);
        writer.WriteEndArray();
        writer.WriteStartArray("logprobs"u8);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>A <c>summary_text</c> part of a reasoning item.</summary>
    public static void WriteSummaryPart(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, "summary_text"u8);
        writer.WriteString("text"u8, text);
        writer.WriteEndObject();
    }
}
