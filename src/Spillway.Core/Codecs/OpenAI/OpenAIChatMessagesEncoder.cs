using System.Text;
using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.OpenAI;

/// <summary>
/// Writes the system prompt and canonical messages as OpenAI <c>messages</c>. Each tool result becomes its own
/// <c>tool</c> message; images in results, which a tool message cannot hold, follow in a user message.
/// </summary>
internal static class OpenAIChatMessagesEncoder
{
    public static ChatError? Write(Utf8JsonWriter writer, ChatRequest request, DroppedHints dropped)
    {
        writer.WriteStartArray("messages"u8);
        if (request.System.Count > 0)
        {
            var error = WriteSystem(writer, request.System, dropped);
            if (error is not null)
            {
                return error;
            }
        }

        for (var i = 0; i < request.Messages.Count; i++)
        {
            var message = request.Messages[i];
            var path = $"messages[{i}]";
            var error = message.Role switch
            {
                ChatRole.Assistant => WriteAssistant(writer, message, path, dropped),
                ChatRole.Tool => WriteToolResults(writer, message, path, dropped),
                _ => WriteUser(writer, message, path, dropped),
            };
            error ??= dropped.DropForeign(message.Extensions, WireFormat.OpenAI, path);
            if (error is not null)
            {
                return error;
            }
        }

        writer.WriteEndArray();
        return null;
    }

    /// <summary>
    /// The system prompt as one string: some OpenAI-compatible hosts (Groq) refuse a system message whose content is
    /// an array, and Anthropic clients such as Claude Code always send several blocks. The blocks are separate
    /// sections, so they are joined by a blank line. Blocks carrying OpenAI fields of their own stay an array.
    /// </summary>
    private static ChatError? WriteSystem(Utf8JsonWriter writer, IReadOnlyList<TextPart> system, DroppedHints dropped)
    {
        writer.WriteStartObject();
        writer.WriteString("role"u8, "system"u8);
        writer.WritePropertyName("content"u8);
        if (system.Any(part => part.Extensions.Items.Any(x => x.Format == WireFormat.OpenAI)))
        {
            var error = OpenAIChatContentEncoder.Write(writer, system, "system", dropped);
            if (error is not null)
            {
                return error;
            }
        }
        else
        {
            writer.WriteStringValue(string.Join("\n\n", system.Select(part => part.Text)));
            for (var i = 0; i < system.Count; i++)
            {
                var error = dropped.DropForeign(system[i].Extensions, WireFormat.OpenAI, $"system[{i}]");
                if (error is not null)
                {
                    return error;
                }
            }
        }

        writer.WriteEndObject();
        return null;
    }

    private static ChatError? WriteUser(Utf8JsonWriter writer, ChatMessage message, string path, DroppedHints dropped)
    {
        writer.WriteStartObject();
        writer.WriteString("role"u8, "user"u8);
        writer.WritePropertyName("content"u8);
        var error = OpenAIChatContentEncoder.Write(writer, message.Content, path + ".content", dropped);
        if (error is not null)
        {
            return error;
        }

        ExtensionFields.WriteOwn(writer, WireFormat.OpenAI, message.Extensions);
        writer.WriteEndObject();
        return null;
    }

    private static ChatError? WriteAssistant(Utf8JsonWriter writer, ChatMessage message, string path, DroppedHints dropped)
    {
        // Text blocks of one turn are one continuous answer: joined, they make the string every host accepts.
        var text = new StringBuilder();
        var calls = new List<ToolCallPart>();
        for (var i = 0; i < message.Content.Count; i++)
        {
            switch (message.Content[i])
            {
                case TextPart part:
                    text.Append(part.Text);
                    dropped.DropForeign(part.Extensions, WireFormat.OpenAI, path);
                    break;
                case ToolCallPart call:
                    calls.Add(call);
                    dropped.DropForeign(call.Extensions, WireFormat.OpenAI, path);
                    break;
                case ThinkingPart or RedactedThinkingPart:
                    // Reasoning is the provider's own; an OpenAI-format host takes none back.
                    dropped.Add("thinking");
                    break;
                default:
                    return OpenAIChatContentEncoder.Refuse(message.Content[i], $"{path}.content[{i}]");
            }
        }

        writer.WriteStartObject();
        writer.WriteString("role"u8, "assistant"u8);
        if (text.Length == 0 && calls.Count > 0)
        {
            writer.WriteNull("content"u8);
        }
        else
        {
            writer.WriteString("content"u8, text.ToString());
        }

        OpenAIToolCallWriter.Write(writer, calls);
        ExtensionFields.WriteOwn(writer, WireFormat.OpenAI, message.Extensions);
        writer.WriteEndObject();
        return null;
    }

    private static ChatError? WriteToolResults(Utf8JsonWriter writer, ChatMessage message, string path, DroppedHints dropped)
    {
        var images = new List<ChatContentPart>();
        for (var i = 0; i < message.Content.Count; i++)
        {
            if (message.Content[i] is not ToolResultPart result)
            {
                return OpenAIChatContentEncoder.Refuse(message.Content[i], $"{path}.content[{i}]");
            }

            var texts = new List<ChatContentPart>();
            foreach (var part in result.Content)
            {
                switch (part)
                {
                    case TextPart:
                        texts.Add(part);
                        break;
                    case ImagePart:
                        images.Add(part);
                        break;
                    default:
                        return OpenAIChatContentEncoder.Refuse(part, $"{path}.content[{i}]");
                }
            }

            if (result.IsError)
            {
                dropped.Add("is_error");
            }

            writer.WriteStartObject();
            writer.WriteString("role"u8, "tool"u8);
            writer.WriteString("tool_call_id"u8, result.ToolCallId);
            writer.WritePropertyName("content"u8);
            var error = texts.Count == 0
                ? WriteEmpty(writer)
                : OpenAIChatContentEncoder.WriteJoinedText(writer, texts, $"{path}.content[{i}].content", dropped);
            if (error is not null)
            {
                return error;
            }

            writer.WriteEndObject();
            error = dropped.DropForeign(result.Extensions, WireFormat.OpenAI, $"{path}.content[{i}]");
            if (error is not null)
            {
                return error;
            }
        }

        if (images.Count == 0)
        {
            return null;
        }

        // A tool message holds text only; the images the tools returned follow as the user's, in order.
        writer.WriteStartObject();
        writer.WriteString("role"u8, "user"u8);
        writer.WritePropertyName("content"u8);
        var imageError = OpenAIChatContentEncoder.Write(writer, images, path + ".images", dropped);
        if (imageError is null)
        {
            writer.WriteEndObject();
        }

        return imageError;
    }

    private static ChatError? WriteEmpty(Utf8JsonWriter writer)
    {
        writer.WriteStringValue(""u8);
        return null;
    }
}
