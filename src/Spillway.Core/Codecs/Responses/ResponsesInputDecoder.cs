using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Responses;

/// <summary>
/// Reads Responses <c>input</c> (a string, or a list of items) into the conversation: <c>system</c> and
/// <c>developer</c> messages join the system prompt, <c>function_call</c> items become tool calls of the assistant
/// turn before them, <c>function_call_output</c> items become tool messages, and <c>reasoning</c> items are left
/// out (their encrypted content means nothing to another provider).
/// </summary>
internal static class ResponsesInputDecoder
{
    public static ChatError? Read(JsonElement input, List<TextPart> system, List<ChatMessage> into, List<ChatExtension> dropped)
    {
        if (input.ValueKind == JsonValueKind.String)
        {
            into.Add(new ChatMessage(ChatRole.User, [new TextPart(input.GetString()!)]));
            return null;
        }

        if (input.ValueKind != JsonValueKind.Array)
        {
            return ChatError.InvalidRequest("input: expected a string or an array of input items.", "input");
        }

        var index = 0;
        foreach (var item in input.EnumerateArray())
        {
            var path = $"input[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                return ChatError.InvalidRequest($"{path}: an input item must be an object.", path);
            }

            var type = JsonElementReader.String(item, "type") ?? (JsonElementReader.TryGet(item, "role", out _) ? "message" : null);
            var error = type switch
            {
                "message" => ReadMessage(item, path, system, into),
                "function_call" => ReadCall(item, path, into),
                "function_call_output" => ReadOutput(item, path, into),
                "reasoning" => Drop(dropped, item),
                null => ChatError.InvalidRequest($"{path}.type: an input item needs a type or a role.", path + ".type"),
                "item_reference" => ChatError.InvalidRequest(
                    $"{path}: item references are not supported; send the item itself, or continue a stored response with previous_response_id.",
                    path + ".type"),
                _ => ChatError.InvalidRequest(
                    $"{path}.type: '{type}' items are not supported; use message, function_call, function_call_output or reasoning.",
                    path + ".type"),
            };
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    private static ChatError? Drop(List<ChatExtension> dropped, JsonElement item)
    {
        ResponsesExtensionNames.Drop(dropped, ResponsesExtensionNames.ReasoningInput, item);
        return null;
    }

    private static ChatError? ReadMessage(JsonElement item, string path, List<TextPart> system, List<ChatMessage> into)
    {
        if (!JsonElementReader.TryGet(item, "content", out var content))
        {
            return ChatError.InvalidRequest($"{path}.content: required.", path + ".content");
        }

        var parts = new List<ChatContentPart>();
        var role = JsonElementReader.String(item, "role");
        ChatError? error;
        switch (role)
        {
            case "system" or "developer":
                error = ResponsesContentDecoder.Read(content, path + ".content", parts, textOnly: true);
                system.AddRange(parts.Cast<TextPart>());
                return error;
            case "user":
                error = ResponsesContentDecoder.Read(content, path + ".content", parts);
                into.Add(new ChatMessage(ChatRole.User, parts));
                return error;
            case "assistant":
                error = ResponsesContentDecoder.Read(content, path + ".content", parts, textOnly: true);
                into.Add(new ChatMessage(ChatRole.Assistant, parts));
                return error;
            default:
                return ChatError.InvalidRequest(
                    $"{path}.role: '{role}' is not supported; use user, assistant, system or developer.", path + ".role");
        }
    }

    private static ChatError? ReadCall(JsonElement item, string path, List<ChatMessage> into)
    {
        var callId = JsonElementReader.String(item, "call_id");
        var name = JsonElementReader.String(item, "name");
        if (callId is null || name is null)
        {
            var field = callId is null ? "call_id" : "name";
            return ChatError.InvalidRequest($"{path}.{field}: a function_call needs a call_id and a name.", $"{path}.{field}");
        }

        if (JsonElementReader.TryGet(item, "arguments", out var arguments) && arguments.ValueKind != JsonValueKind.String)
        {
            return ChatError.InvalidRequest($"{path}.arguments: expected a string of JSON.", path + ".arguments");
        }

        // The arguments arrive as a string holding JSON text; the text is kept as it is.
        var call = new ToolCallPart(callId, name, JsonElementReader.String(item, "arguments") ?? "");

        // Calls of one turn follow the assistant's text as separate items: they rejoin its message.
        if (into.Count > 0 && into[^1].Role == ChatRole.Assistant)
        {
            into[^1] = into[^1] with { Content = [.. into[^1].Content, call] };
        }
        else
        {
            into.Add(new ChatMessage(ChatRole.Assistant, [call]));
        }

        return null;
    }

    private static ChatError? ReadOutput(JsonElement item, string path, List<ChatMessage> into)
    {
        var callId = JsonElementReader.String(item, "call_id");
        if (callId is null)
        {
            return ChatError.InvalidRequest($"{path}.call_id: required for a function_call_output.", path + ".call_id");
        }

        if (!JsonElementReader.TryGet(item, "output", out var output))
        {
            return ChatError.InvalidRequest($"{path}.output: required for a function_call_output.", path + ".output");
        }

        var parts = new List<ChatContentPart>();
        var error = ResponsesContentDecoder.Read(output, path + ".output", parts);
        into.Add(new ChatMessage(ChatRole.Tool, [new ToolResultPart(callId, parts)]));
        return error;
    }
}
