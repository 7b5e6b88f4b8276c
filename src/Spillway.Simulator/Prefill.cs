using System.Text;
using System.Text.Json;

namespace Spillway.Simulator;

/// <summary>
/// The assistant turn a conversation ends with (an "assistant prefill"): the start of the answer the model is asked
/// to continue. Only a turn with text counts; an assistant turn that only calls tools is not one.
/// </summary>
/// <param name="Text">The text to continue.</param>
/// <param name="PrefixFlag">Mistral's and DeepSeek's marker: <c>"prefix": true</c> on the message.</param>
internal sealed record Prefill(string Text, bool PrefixFlag)
{
    /// <summary>From OpenAI <c>messages</c>: a last message with role <c>assistant</c>.</summary>
    public static Prefill? OfOpenAI(JsonElement messages) =>
        Last(messages, "role", "assistant") is { } last && TextOf(last, "content") is { } text
            ? new Prefill(text, last.TryGetProperty("prefix", out var prefix) && prefix.ValueKind == JsonValueKind.True)
            : null;

    /// <summary>From Anthropic <c>messages</c>: a last message with role <c>assistant</c>.</summary>
    public static Prefill? OfAnthropic(JsonElement messages) =>
        Last(messages, "role", "assistant") is { } last && TextOf(last, "content") is { } text ? new Prefill(text, false) : null;

    /// <summary>From Gemini <c>contents</c>: a last content with role <c>model</c>.</summary>
    public static Prefill? OfGemini(JsonElement contents) =>
        Last(contents, "role", "model") is { } last && TextOf(last, "parts") is { } text ? new Prefill(text, false) : null;

    private static JsonElement? Last(JsonElement items, string roleField, string role)
    {
        if (items.ValueKind != JsonValueKind.Array || items.GetArrayLength() == 0)
        {
            return null;
        }

        var last = items[items.GetArrayLength() - 1];
        return last.ValueKind == JsonValueKind.Object
            && last.TryGetProperty(roleField, out var value)
            && value.ValueKind == JsonValueKind.String
            && value.GetString() == role
            ? last
            : null;
    }

    /// <summary>A string, or the <c>text</c> of an array's parts joined; null when there is none.</summary>
    private static string? TextOf(JsonElement message, string field)
    {
        if (!message.TryGetProperty(field, out var content))
        {
            return null;
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString() is { Length: > 0 } text ? text : null;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var joined = new StringBuilder();
        foreach (var part in content.EnumerateArray())
        {
            if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
            {
                joined.Append(text.GetString());
            }
        }

        return joined.Length > 0 ? joined.ToString() : null;
    }
}
