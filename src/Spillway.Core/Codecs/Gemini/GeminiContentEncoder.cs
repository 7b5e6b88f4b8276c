using System.Text;
using System.Text.Json;
using Spillway.Core.Buffers;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Gemini;

/// <summary>
/// Writes the conversation as Gemini <c>contents</c>: assistant turns as <c>model</c>, user and tool turns as
/// <c>user</c>, neighbouring turns of the same Gemini role merged into one (Gemini wants the roles to alternate,
/// and a tool result to come in the turn right after its call).
/// </summary>
/// <remarks>
/// A tool result becomes a <c>functionResponse</c>, which Gemini matches by function name: the name is found
/// from the result's call id among the assistant's earlier calls. Its <c>response</c> must be an object: a
/// result whose text is a JSON object goes as that object; any other text goes as <c>{"result": text}</c>; a
/// failed call goes as <c>{"error": …}</c>. Images of a tool result follow the function responses in the same
/// turn, as inline parts, since a <c>functionResponse</c> holds JSON only.
/// </remarks>
internal sealed class GeminiContentEncoder(GeminiHints hints, GeminiPartEncoder parts)
{
    // Call id → function name, for the calls seen so far: a result refers back to an earlier call.
    private readonly Dictionary<string, string> _callNames = new(StringComparer.Ordinal);

    public ChatError? Write(Utf8JsonWriter writer, IReadOnlyList<ChatMessage> messages)
    {
        writer.WriteStartArray("contents"u8);
        string? openRole = null;
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            var error = hints.Screen(message.Extensions, $"message {i}", $"messages[{i}]");
            if (error is not null)
            {
                return error;
            }

            if (!message.Content.Any(GeminiPartEncoder.Writes))
            {
                // Nothing Gemini can hold (only another provider's redacted reasoning): an empty turn is refused.
                foreach (var part in message.Content)
                {
                    parts.Write(writer, part, $"messages[{i}]");
                }

                continue;
            }

            var role = message.Role == ChatRole.Assistant ? "model" : "user";
            if (role != openRole)
            {
                if (openRole is not null)
                {
                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }

                writer.WriteStartObject();
                writer.WriteString("role"u8, role);
                writer.WriteStartArray("parts"u8);
                openRole = role;
            }

            error = message.Role == ChatRole.Assistant ? WriteModel(writer, message, i) : WriteUser(writer, message, i);
            if (error is not null)
            {
                return error;
            }
        }

        if (openRole is not null)
        {
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        return null;
    }

    private ChatError? WriteModel(Utf8JsonWriter writer, ChatMessage message, int index)
    {
        for (var j = 0; j < message.Content.Count; j++)
        {
            var part = message.Content[j];
            var param = $"messages[{index}].content[{j}]";
            if (part is ToolResultPart)
            {
                return ChatError.InvalidRequest($"An assistant message holds a tool result at {param}.", param);
            }

            if (part is ToolCallPart call)
            {
                _callNames[call.Id] = call.Name;
            }

            var error = parts.Write(writer, part, param);
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    private ChatError? WriteUser(Utf8JsonWriter writer, ChatMessage message, int index)
    {
        // Function responses first: Gemini wants them at the head of the turn that follows the calls.
        for (var j = 0; j < message.Content.Count; j++)
        {
            if (message.Content[j] is ToolResultPart result)
            {
                var error = WriteResult(writer, result, $"messages[{index}].content[{j}]");
                if (error is not null)
                {
                    return error;
                }
            }
        }

        for (var j = 0; j < message.Content.Count; j++)
        {
            var param = $"messages[{index}].content[{j}]";
            var error = message.Content[j] switch
            {
                ToolResultPart result => WriteResultMedia(writer, result, param),
                ToolCallPart => ChatError.InvalidRequest($"A user or tool message holds a tool call at {param}.", param),
                var part => parts.Write(writer, part, param),
            };
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    private ChatError? WriteResult(Utf8JsonWriter writer, ToolResultPart result, string param)
    {
        if (!_callNames.TryGetValue(result.ToolCallId, out var name))
        {
            return ChatError.InvalidRequest(
                $"The tool result at {param} answers the call '{result.ToolCallId}', which no earlier assistant "
                + "message made; Gemini needs the called function's name.", param);
        }

        var error = hints.Screen(result.Extensions, "a tool result", param);
        if (error is not null)
        {
            return error;
        }

        var text = new StringBuilder();
        foreach (var part in result.Content.OfType<TextPart>())
        {
            text.Append(text.Length > 0 ? "\n" : string.Empty).Append(part.Text);
        }

        var output = text.ToString();
        writer.WriteStartObject();
        writer.WriteStartObject("functionResponse"u8);
        writer.WriteString("name"u8, name);
        if (result.ToolCallId.Length > 0 && !GeminiToolCallIds.IsGenerated(result.ToolCallId))
        {
            writer.WriteString("id"u8, result.ToolCallId);
        }

        writer.WritePropertyName("response"u8);
        if (result.IsError)
        {
            writer.WriteStartObject();
            writer.WritePropertyName("error"u8);
            WriteOutput(writer, output);
            writer.WriteEndObject();
        }
        else if (JsonCompleteness.IsObject(output))
        {
            GeminiJson.WriteRaw(writer, output);
        }
        else
        {
            writer.WriteStartObject();
            writer.WriteString("result"u8, output);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        return null;
    }

    private ChatError? WriteResultMedia(Utf8JsonWriter writer, ToolResultPart result, string param)
    {
        for (var k = 0; k < result.Content.Count; k++)
        {
            var part = result.Content[k];
            if (part is TextPart)
            {
                continue;
            }

            if (part is not ImagePart and not OpaquePart)
            {
                return ChatError.InvalidRequest(
                    $"The tool result at {param} holds content a Gemini function response cannot carry.", param);
            }

            var error = parts.Write(writer, part, $"{param}.content[{k}]");
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    private static void WriteOutput(Utf8JsonWriter writer, string output)
    {
        if (JsonCompleteness.IsObject(output))
        {
            GeminiJson.WriteRaw(writer, output);
        }
        else
        {
            writer.WriteStringValue(output);
        }
    }
}
