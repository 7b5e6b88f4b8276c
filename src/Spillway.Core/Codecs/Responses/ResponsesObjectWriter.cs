using System.Text;
using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Responses;

/// <summary>
/// Writes the Responses <c>response</c> object: the whole body of a non-streamed answer, and the <c>response</c> of
/// <c>response.created</c>, <c>response.completed</c> and the like. It echoes the request's settings as the API
/// does. There is no <c>output_text</c> field: that is a convenience of the SDKs, not of the wire.
/// </summary>
internal static class ResponsesObjectWriter
{
    public static void Write(
        Utf8JsonWriter writer,
        ResponsesEnvelope envelope,
        string status,
        IReadOnlyList<ResponsesOutputItem> output,
        TokenUsage? usage,
        string? incompleteReason = null,
        ChatError? error = null)
    {
        var request = envelope.Request;
        var extensions = request?.Extensions ?? ChatExtensions.Empty;
        writer.WriteStartObject();
        writer.WriteString("id"u8, envelope.Id);
        writer.WriteString("object"u8, "response"u8);
        writer.WriteNumber("created_at"u8, envelope.CreatedAt);
        writer.WriteString("status"u8, status);
        writer.WriteBoolean("background"u8, false);
        if (error is null)
        {
            writer.WriteNull("error"u8);
        }
        else
        {
            writer.WriteStartObject("error"u8);
            writer.WriteString("code"u8, ResponsesErrorWriter.CodeOf(error));
            writer.WriteString("message"u8, error.Message);
            writer.WriteEndObject();
        }

        if (incompleteReason is null)
        {
            writer.WriteNull("incomplete_details"u8);
        }
        else
        {
            writer.WriteStartObject("incomplete_details"u8);
            writer.WriteString("reason"u8, incompleteReason);
            writer.WriteEndObject();
        }

        writer.WriteString("instructions"u8, Instructions(request));
        WriteNumberOrNull(writer, "max_output_tokens"u8, request?.MaxOutputTokens);
        writer.WriteString("model"u8, envelope.Model);
        writer.WriteStartArray("output"u8);
        foreach (var item in output)
        {
            ResponsesItemWriter.Write(writer, item, status == ResponsesStatus.Completed ? ResponsesStatus.Completed : ResponsesStatus.Incomplete);
        }

        writer.WriteEndArray();
        writer.WriteBoolean("parallel_tool_calls"u8, request?.ParallelToolCalls ?? true);
        writer.WritePropertyName("previous_response_id"u8);
        if (extensions.Find(WireFormat.OpenAIResponses, "previous_response_id") is { } previous)
        {
            previous.WriteTo(writer);
        }
        else
        {
            writer.WriteNullValue();
        }

        WriteReasoning(writer, extensions);

        // Kept unless the client said store: false (the API's default is true): the door stores what this object is.
        writer.WriteBoolean("store"u8, request is not null && Stored(extensions));
        WriteNumberOrNull(writer, "temperature"u8, request?.Temperature);
        ResponsesTextFormat.Write(writer, request?.ResponseFormat);
        WriteToolChoice(writer, request?.ToolChoice);
        WriteTools(writer, request?.Tools ?? []);
        WriteNumberOrNull(writer, "top_p"u8, request?.TopP);
        writer.WriteString("truncation"u8, "disabled"u8);
        if (usage is { } tokens)
        {
            ResponsesUsageWriter.Write(writer, tokens);
        }
        else
        {
            writer.WriteNull("usage"u8);
        }

        writer.WriteString("user"u8, request?.UserId);
        writer.WritePropertyName("metadata"u8);
        if (extensions.Find(WireFormat.OpenAIResponses, "metadata") is { } metadata)
        {
            metadata.WriteTo(writer);
        }
        else
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    /// <summary>True unless the request said <c>store: false</c>.</summary>
    internal static bool Stored(ChatExtensions extensions) =>
        extensions.Find(WireFormat.OpenAIResponses, "store") is not { } store || !store.Utf8.Span.SequenceEqual("false"u8);

    private static string? Instructions(ChatRequest? request)
    {
        if (request is null || request.System.Count == 0)
        {
            return null;
        }

        var text = new StringBuilder();
        foreach (var part in request.System)
        {
            text.Append(text.Length == 0 ? "" : "\n\n").Append(part.Text);
        }

        return text.ToString();
    }

    private static void WriteNumberOrNull(Utf8JsonWriter writer, ReadOnlySpan<byte> name, double? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteReasoning(Utf8JsonWriter writer, ChatExtensions extensions)
    {
        writer.WriteStartObject("reasoning"u8);
        writer.WritePropertyName("effort"u8);
        if (extensions.Find(WireFormat.OpenAI, "reasoning_effort") is { } effort)
        {
            effort.WriteTo(writer);
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WritePropertyName("summary"u8);
        if (extensions.Find(WireFormat.OpenAIResponses, "reasoning.summary") is { } summary)
        {
            summary.WriteTo(writer);
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WriteEndObject();
    }

    private static void WriteToolChoice(Utf8JsonWriter writer, ChatToolChoice? choice)
    {
        switch (choice?.Mode)
        {
            case ToolChoiceMode.None:
                writer.WriteString("tool_choice"u8, "none"u8);
                break;
            case ToolChoiceMode.Required:
                writer.WriteString("tool_choice"u8, "required"u8);
                break;
            case ToolChoiceMode.Named:
                writer.WriteStartObject("tool_choice"u8);
                writer.WriteString("type"u8, "function"u8);
                writer.WriteString("name"u8, choice.Name);
                writer.WriteEndObject();
                break;
            default:
                writer.WriteString("tool_choice"u8, "auto"u8);
                break;
        }
    }

    private static void WriteTools(Utf8JsonWriter writer, IReadOnlyList<ChatTool> tools)
    {
        writer.WriteStartArray("tools"u8);
        foreach (var tool in tools)
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "function"u8);
            writer.WriteString("name"u8, tool.Name);
            writer.WriteString("description"u8, tool.Description);
            writer.WritePropertyName("parameters"u8);
            if (tool.InputSchema.IsEmpty)
            {
                writer.WriteNullValue();
            }
            else
            {
                tool.InputSchema.WriteTo(writer);
            }

            if (tool.Strict is { } strict)
            {
                writer.WriteBoolean("strict"u8, strict);
            }
            else
            {
                writer.WriteNull("strict"u8);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
