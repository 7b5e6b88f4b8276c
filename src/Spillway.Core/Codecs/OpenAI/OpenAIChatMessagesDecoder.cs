using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.OpenAI;

/// <summary>
/// Reads OpenAI <c>messages</c>: <c>system</c> and <c>developer</c> messages become the system prompt (wherever
/// they stand), <c>tool</c> messages become tool messages, assistant <c>tool_calls</c> become tool call parts.
/// </summary>
internal static class OpenAIChatMessagesDecoder
{
    private static readonly string[] AssistantKeys = ["role", "content", "tool_calls", "refusal"];
    private static readonly string[] UserKeys = ["role", "content"];

    public static ChatError? Read(JsonElement messages, List<TextPart> system, List<ChatMessage> into)
    {
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var path = $"messages[{index++}]";
            var role = JsonElementReader.String(message, "role");
            var content = JsonElementReader.TryGet(message, "content", out var value) ? value : default;
            var parts = new List<ChatContentPart>();
            ChatError? error;
            switch (role)
            {
                case "system" or "developer":
                    error = OpenAIChatContentDecoder.Read(content, path + ".content", parts, textOnly: true);
                    system.AddRange(parts.Cast<TextPart>());
                    break;
                case "user":
                    error = OpenAIChatContentDecoder.Read(content, path + ".content", parts);
                    into.Add(new ChatMessage(ChatRole.User, parts)
                    {
                        Extensions = ExtensionFields.Of(WireFormat.OpenAI, message, UserKeys),
                    });
                    break;
                case "assistant":
                    error = OpenAIChatContentDecoder.Read(content, path + ".content", parts) ?? ReadToolCalls(message, path, parts);
                    into.Add(new ChatMessage(ChatRole.Assistant, parts)
                    {
                        Extensions = ExtensionFields.Of(WireFormat.OpenAI, message, AssistantKeys),
                    });
                    break;
                case "tool":
                    error = ReadToolResult(message, content, path, into);
                    break;
                default:
                    error = ChatError.InvalidRequest(
                        $"{path}.role: '{role}' is not supported; use system, developer, user, assistant or tool.",
                        path + ".role");
                    break;
            }

            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    private static ChatError? ReadToolCalls(JsonElement message, string path, List<ChatContentPart> parts)
    {
        if (!JsonElementReader.TryGet(message, "tool_calls", out var calls) || calls.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var index = 0;
        foreach (var call in calls.EnumerateArray())
        {
            var callPath = $"{path}.tool_calls[{index++}]";
            var id = JsonElementReader.String(call, "id");
            if (id is null || !JsonElementReader.TryGet(call, "function", out var function) ||
                JsonElementReader.String(function, "name") is not { } name)
            {
                return ChatError.InvalidRequest($"{callPath}: a tool call needs an id and a function name.", callPath);
            }

            // The arguments arrive as a JSON string holding JSON text; the text is kept as it is.
            parts.Add(new ToolCallPart(id, name, JsonElementReader.String(function, "arguments") ?? ""));
        }

        return null;
    }

    private static ChatError? ReadToolResult(JsonElement message, JsonElement content, string path, List<ChatMessage> into)
    {
        var id = JsonElementReader.String(message, "tool_call_id");
        if (id is null)
        {
            return ChatError.InvalidRequest($"{path}.tool_call_id: required for a tool message.", path + ".tool_call_id");
        }

        var parts = new List<ChatContentPart>();
        var error = OpenAIChatContentDecoder.Read(content, path + ".content", parts);
        into.Add(new ChatMessage(ChatRole.Tool, [new ToolResultPart(id, parts)]));
        return error;
    }
}
