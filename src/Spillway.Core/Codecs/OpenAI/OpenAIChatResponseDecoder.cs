using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.OpenAI;

/// <summary>Reads an OpenAI <c>chat.completion</c> body into a <see cref="ChatResponse"/> (its first choice).</summary>
public static class OpenAIChatResponseDecoder
{
    private static readonly string[] Known = ["id", "object", "model", "choices", "usage"];
    private static readonly string[] MessageKeys = ["role", "content", "refusal", "tool_calls", "reasoning_content", "reasoning"];

    /// <summary>Decodes <paramref name="body"/>; a body that is not a completion is a 502-kind error.</summary>
    public static ChatResult<ChatResponse> Decode(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return Decode(document.RootElement);
        }
        catch (JsonException ex)
        {
            return BadResponse("The upstream's response is not valid JSON: " + ex.Message);
        }
    }

    private static ChatResult<ChatResponse> Decode(JsonElement root)
    {
        if (!JsonElementReader.TryGet(root, "choices", out var choices) || choices.ValueKind != JsonValueKind.Array ||
            choices.GetArrayLength() == 0)
        {
            return BadResponse("The upstream's response is not a chat completion with a choice.");
        }

        var choice = choices[0];
        var message = JsonElementReader.TryGet(choice, "message", out var value) ? value : default;
        var parts = new List<ChatContentPart>();

        // Reasoning that OpenAI-compatible hosts return beside the answer (DeepSeek, OpenRouter).
        var reasoning = JsonElementReader.String(message, "reasoning_content") ?? JsonElementReader.String(message, "reasoning");
        if (!string.IsNullOrEmpty(reasoning))
        {
            parts.Add(new ThinkingPart(reasoning));
        }

        if (JsonElementReader.String(message, "content") is { Length: > 0 } text)
        {
            parts.Add(new TextPart(text));
        }

        var refusal = JsonElementReader.String(message, "refusal");
        if (!string.IsNullOrEmpty(refusal))
        {
            parts.Add(new TextPart(refusal));
        }

        if (JsonElementReader.TryGet(message, "tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
        {
            foreach (var call in calls.EnumerateArray())
            {
                var function = JsonElementReader.TryGet(call, "function", out var f) ? f : default;
                parts.Add(new ToolCallPart(
                    JsonElementReader.String(call, "id") ?? "",
                    JsonElementReader.String(function, "name") ?? "",
                    JsonElementReader.String(function, "arguments") ?? ""));
            }
        }

        var finish = OpenAIFinishReasons.Decode(JsonElementReader.String(choice, "finish_reason") ?? "stop");
        if (!string.IsNullOrEmpty(refusal))
        {
            finish = finish with { Reason = FinishReason.Refusal };
        }

        return new ChatResponse(
            JsonElementReader.String(root, "id") ?? "", JsonElementReader.String(root, "model") ?? "", parts, finish)
        {
            Usage = JsonElementReader.TryGet(root, "usage", out var usage) ? OpenAIUsageReader.ReadUsage(usage) : (TokenUsage?)null,
            Extensions = ReadExtras(root, message),
        };
    }

    /// <summary>Top-level extras, and the message's (<c>annotations</c>, <c>audio</c>) as <c>message.*</c>.</summary>
    private static ChatExtensions ReadExtras(JsonElement root, JsonElement message)
    {
        var extras = new List<ChatExtension>();
        ExtensionFields.Collect(WireFormat.OpenAI, root, Known, extras);
        ExtensionFields.Collect(WireFormat.OpenAI, message, MessageKeys, extras, "message.");
        return ChatExtensions.Of(extras);
    }

    private static ChatError BadResponse(string message) => new(502, ChatErrorKind.Server, message);
}
