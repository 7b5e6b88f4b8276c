using System.Text.Json;
using Spillway.Core.Chat;
using Spillway.Core.Codecs.OpenAI;

namespace Spillway.Core.Codecs.Responses;

/// <summary>
/// Writes the canonical conversation as Responses <c>input</c> items: user turns as <c>message</c> items with
/// <c>input_text</c> / <c>input_image</c> parts (a Responses <c>input_file</c> as it came), assistant text as a
/// <c>message</c> with <c>output_text</c>, each tool call as a <c>function_call</c> item and each result as a
/// <c>function_call_output</c>. Reasoning of earlier turns is dropped (another provider's thinking means nothing here).
/// </summary>
internal static class ResponsesInputEncoder
{
    public static ChatError? Write(Utf8JsonWriter writer, IReadOnlyList<ChatMessage> messages, DroppedHints dropped)
    {
        writer.WriteStartArray("input"u8);
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            var error = message.Role switch
            {
                ChatRole.User => WriteUser(writer, message, i, dropped),
                ChatRole.Assistant => WriteAssistant(writer, message, dropped),
                _ => WriteResults(writer, message.Content, i),
            };
            if (error is not null)
            {
                return error;
            }
        }

        writer.WriteEndArray();
        return null;
    }

    private static ChatError? WriteUser(Utf8JsonWriter writer, ChatMessage message, int index, DroppedHints dropped)
    {
        // Anthropic carries tool results inside user turns: they become function_call_output items first.
        var results = message.Content.OfType<ToolResultPart>().ToList();
        if (results.Count > 0 && WriteResults(writer, results, index) is { } resultError)
        {
            return resultError;
        }

        var rest = message.Content.Where(x => x is not ToolResultPart).ToList();
        if (rest.Count == 0)
        {
            return null;
        }

        writer.WriteStartObject();
        writer.WriteString("type"u8, "message"u8);
        writer.WriteString("role"u8, "user"u8);
        writer.WriteStartArray("content"u8);
        for (var i = 0; i < rest.Count; i++)
        {
            var error = WriteInputPart(writer, rest[i], $"messages[{index}].content[{i}]", dropped);
            if (error is not null)
            {
                return error;
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        return null;
    }

    private static ChatError? WriteInputPart(Utf8JsonWriter writer, ChatContentPart part, string path, DroppedHints dropped)
    {
        switch (part)
        {
            case TextPart text:
                writer.WriteStartObject();
                writer.WriteString("type"u8, "input_text"u8);
                writer.WriteString("text"u8, text.Text);
                writer.WriteEndObject();
                return dropped.DropForeign(text.Extensions, WireFormat.OpenAIResponses, path);
            case ImagePart image:
                writer.WriteStartObject();
                writer.WriteString("type"u8, "input_image"u8);
                writer.WriteString("image_url"u8, image.Source switch
                {
                    ImageDataSource data => DataUri.Create(data.MediaType, data.Base64Data),
                    ImageUrlSource url => url.Url,
                    _ => "",
                });
                if (image.Extensions.Find(WireFormat.OpenAI, "image_url.detail") is { } detail)
                {
                    writer.WritePropertyName("detail"u8);
                    detail.WriteTo(writer);
                }

                writer.WriteEndObject();
                return null;
            case FilePart file:
                writer.WriteStartObject();
                writer.WriteString("type"u8, "input_file"u8);
                if (file.Filename is { } filename)
                {
                    writer.WriteString("filename"u8, filename);
                }

                writer.WriteString("file_data"u8, DataUri.Create(file.MediaType, file.Base64Data));
                writer.WriteEndObject();
                return null;
            case OpaquePart { Format: WireFormat.OpenAIResponses } opaque:
                opaque.Json.WriteTo(writer);
                return null;
            case OpaquePart opaque:
                return ChatError.InvalidRequest(
                    $"A '{opaque.Type}' part ({opaque.Format}) cannot be sent to an upstream that speaks the Responses API.", path);
            default:
                dropped.Add(part.GetType().Name);
                return null;
        }
    }

    private static ChatError? WriteAssistant(Utf8JsonWriter writer, ChatMessage message, DroppedHints dropped)
    {
        var text = string.Concat(message.Content.OfType<TextPart>().Select(x => x.Text));
        if (text.Length > 0)
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "message"u8);
            writer.WriteString("role"u8, "assistant"u8);
            writer.WriteStartArray("content"u8);
            writer.WriteStartObject();
            writer.WriteString("type"u8, "output_text"u8);
            writer.WriteString("text"u8, text);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        foreach (var part in message.Content)
        {
            switch (part)
            {
                case ToolCallPart call:
                    writer.WriteStartObject();
                    writer.WriteString("type"u8, "function_call"u8);
                    writer.WriteString("call_id"u8, call.Id);
                    writer.WriteString("name"u8, call.Name);
                    writer.WriteString("arguments"u8, call.ArgumentsJson.Length == 0 ? "{}" : call.ArgumentsJson);
                    writer.WriteEndObject();
                    break;
                case ThinkingPart or RedactedThinkingPart:
                    dropped.Add("thinking");
                    break;
            }
        }

        return null;
    }

    private static ChatError? WriteResults(Utf8JsonWriter writer, IEnumerable<ChatContentPart> parts, int index)
    {
        foreach (var part in parts)
        {
            if (part is not ToolResultPart result)
            {
                continue;
            }

            writer.WriteStartObject();
            writer.WriteString("type"u8, "function_call_output"u8);
            writer.WriteString("call_id"u8, result.ToolCallId);
            if (result.Content.All(x => x is TextPart))
            {
                writer.WriteString("output"u8, string.Concat(result.Content.Cast<TextPart>().Select(x => x.Text)));
            }
            else
            {
                writer.WriteStartArray("output"u8);
                var dropped = new DroppedHints();
                for (var i = 0; i < result.Content.Count; i++)
                {
                    var error = WriteInputPart(writer, result.Content[i], $"messages[{index}].content[{i}]", dropped);
                    if (error is not null)
                    {
                        return error;
                    }
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        return null;
    }
}
