using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Anthropic;

/// <summary>
/// Reads Anthropic <c>messages</c>. Anthropic carries tool results as <c>tool_result</c> blocks at the head of a
/// user message; the canonical model gives them <see cref="ChatRole.Tool"/> messages of their own, so a user
/// message is split where results and other content meet.
/// </summary>
internal static class AnthropicMessagesDecoder
{
    public static ChatError? Read(JsonElement messages, List<ChatMessage> into)
    {
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var path = $"messages[{index++}]";
            var role = JsonElementReader.String(message, "role");
            if (role is not ("user" or "assistant"))
            {
                return ChatError.InvalidRequest($"{path}.role: Input should be 'user' or 'assistant'.", path + ".role");
            }

            if (!JsonElementReader.TryGet(message, "content", out var content))
            {
                return ChatError.InvalidRequest($"{path}.content: Field required", path + ".content");
            }

            var parts = new List<ChatContentPart>();
            var error = AnthropicContentDecoder.ReadContent(content, path + ".content", parts);
            if (error is not null)
            {
                return error;
            }

            if (role == "assistant")
            {
                into.Add(new ChatMessage(ChatRole.Assistant, parts));
            }
            else
            {
                SplitUserContent(parts, into);
            }
        }

        return null;
    }

    private static void SplitUserContent(List<ChatContentPart> parts, List<ChatMessage> into)
    {
        if (parts.Count == 0)
        {
            into.Add(new ChatMessage(ChatRole.User, parts));
            return;
        }

        var run = new List<ChatContentPart>();
        var runIsTool = parts[0] is ToolResultPart;
        foreach (var part in parts)
        {
            var isTool = part is ToolResultPart;
            if (isTool != runIsTool)
            {
                into.Add(new ChatMessage(runIsTool ? ChatRole.Tool : ChatRole.User, run));
                run = [];
                runIsTool = isTool;
            }

            run.Add(part);
        }

        into.Add(new ChatMessage(runIsTool ? ChatRole.Tool : ChatRole.User, run));
    }
}
