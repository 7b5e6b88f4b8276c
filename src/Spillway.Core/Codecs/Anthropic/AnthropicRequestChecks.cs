using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Anthropic;

/// <summary>
/// The checks an Anthropic request passes at the door before it is decoded, in Anthropic's wording
/// (<c>field: problem</c>): each top-level field once, a sane model name, a whole-number <c>max_tokens</c> from 1,
/// typed sampling fields and a non-empty <c>messages</c> list. A field of the wrong type is refused, never dropped
/// (a <c>"stream":"yes"</c> silently read as false would answer a different request).
/// </summary>
internal static class AnthropicRequestChecks
{
    /// <summary>The largest <c>max_tokens</c> accepted; beyond it the number is garbage to every provider.</summary>
    public const long MaxTokenLimit = int.MaxValue;

    public static ChatError? Check(JsonElement root, bool requireMaxTokens)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                return ChatError.InvalidRequest($"{property.Name}: the field appears more than once.", property.Name);
            }
        }

        return Model(root)
            ?? MaxTokens(root, requireMaxTokens)
            ?? Messages(root)
            ?? Typed(root, "stream", JsonValueKind.True, JsonValueKind.False, "a valid boolean")
            ?? Number(root, "temperature")
            ?? Number(root, "top_p")
            ?? TopK(root);
    }

    private static ChatError? Model(JsonElement root)
    {
        if (!JsonElementReader.TryGet(root, "model", out var model))
        {
            return ChatError.InvalidRequest("model: Field required", "model");
        }

        if (model.ValueKind != JsonValueKind.String)
        {
            return ChatError.InvalidRequest("model: Input should be a valid string", "model");
        }

        return ModelNameRules.Problem(model.GetString()!) is { } problem
            ? ChatError.InvalidRequest($"model: the model name {problem}.", "model")
            : null;
    }

    private static ChatError? MaxTokens(JsonElement root, bool required)
    {
        if (!JsonElementReader.TryGet(root, "max_tokens", out var value))
        {
            return required ? ChatError.InvalidRequest("max_tokens: Field required", "max_tokens") : null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var tokens) && tokens is >= 1 and <= MaxTokenLimit
            ? null
            : ChatError.InvalidRequest($"max_tokens: Input should be a whole number from 1 to {MaxTokenLimit}", "max_tokens");
    }

    private static ChatError? Messages(JsonElement root)
    {
        if (!JsonElementReader.TryGet(root, "messages", out var messages))
        {
            return ChatError.InvalidRequest("messages: Field required", "messages");
        }

        if (messages.ValueKind != JsonValueKind.Array)
        {
            return ChatError.InvalidRequest("messages: Input should be a valid list", "messages");
        }

        return messages.GetArrayLength() == 0
            ? ChatError.InvalidRequest("messages: at least one message is required", "messages")
            : null;
    }

    private static ChatError? Typed(JsonElement root, string name, JsonValueKind kind, JsonValueKind orKind, string expected) =>
        JsonElementReader.TryGet(root, name, out var value) && value.ValueKind != kind && value.ValueKind != orKind
            ? ChatError.InvalidRequest($"{name}: Input should be {expected}", name)
            : null;

    private static ChatError? Number(JsonElement root, string name) =>
        JsonElementReader.TryGet(root, name, out var value) &&
        !(value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number))
            ? ChatError.InvalidRequest($"{name}: Input should be a valid number", name)
            : null;

    private static ChatError? TopK(JsonElement root) =>
        JsonElementReader.TryGet(root, "top_k", out var value) &&
        !(value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var k) && k >= 0)
            ? ChatError.InvalidRequest("top_k: Input should be a whole number from 0", "top_k")
            : null;
}
