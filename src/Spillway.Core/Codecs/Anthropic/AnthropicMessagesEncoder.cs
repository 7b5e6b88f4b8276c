using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Anthropic;

/// <summary>
/// Writes canonical messages as Anthropic <c>messages</c>. Tool results go back into a user message: consecutive
/// <see cref="ChatRole.Tool"/> messages become one, and a user message right after them joins it, because
/// Anthropic wants every result of a turn in the one user message that follows it.
/// </summary>
internal static class AnthropicMessagesEncoder
{
    public static ChatError? Write(Utf8JsonWriter writer, IReadOnlyList<ChatMessage> messages, DroppedHints dropped)
    {
        writer.WriteStartArray("messages"u8);
        var i = 0;
        while (i < messages.Count)
        {
            var message = messages[i];
            var path = $"messages[{i}]";
            ChatError? error;
            if (message.Role == ChatRole.Tool)
            {
                error = WriteMergedResults(writer, messages, ref i, dropped);
            }
            else
            {
                writer.WriteStartObject();
                writer.WriteString("role"u8, message.Role == ChatRole.Assistant ? "assistant"u8 : "user"u8);
                writer.WritePropertyName("content"u8);
                error = AnthropicContentEncoder.WriteContent(writer, message.Content, path + ".content", dropped)
                    ?? dropped.DropForeign(message.Extensions, WireFormat.Anthropic, path);
                if (error is null)
                {
                    writer.WriteEndObject();
                }

                i++;
            }

            if (error is not null)
            {
                return error;
            }
        }

        writer.WriteEndArray();
        return null;
    }

    private static ChatError? WriteMergedResults(
        Utf8JsonWriter writer, IReadOnlyList<ChatMessage> messages, ref int i, DroppedHints dropped)
    {
        writer.WriteStartObject();
        writer.WriteString("role"u8, "user"u8);
        writer.WriteStartArray("content"u8);
        while (i < messages.Count && messages[i].Role == ChatRole.Tool)
        {
            var error = WriteParts(writer, messages[i], i, dropped);
            if (error is not null)
            {
                return error;
            }

            i++;
        }

        if (i < messages.Count && messages[i].Role == ChatRole.User)
        {
            var error = WriteParts(writer, messages[i], i, dropped);
            if (error is not null)
            {
                return error;
            }

            i++;
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        return null;
    }

    private static ChatError? WriteParts(Utf8JsonWriter writer, ChatMessage message, int index, DroppedHints dropped)
    {
        var path = $"messages[{index}]";
        return AnthropicContentEncoder.WriteBlocks(writer, message.Content, path + ".content", dropped)
            ?? dropped.DropForeign(message.Extensions, WireFormat.Anthropic, path);
    }
}
