using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.OpenAI;

/// <summary>
/// OpenAI <c>usage</c> both ways (wire-facts §6): <c>prompt_tokens</c> includes cached input and
/// <c>completion_tokens</c> includes reasoning, exactly as <see cref="TokenUsage"/> counts them.
/// </summary>
internal static class OpenAIChatUsage
{
    public static TokenUsage Read(JsonElement usage)
    {
        long cached = 0, cacheWrite = 0, reasoning = 0;
        if (JsonElementReader.TryGet(usage, "prompt_tokens_details", out var prompt))
        {
            cached = JsonElementReader.Long(prompt, "cached_tokens") ?? 0;
            cacheWrite = JsonElementReader.Long(prompt, "cache_write_tokens") ?? 0;
        }

        if (JsonElementReader.TryGet(usage, "completion_tokens_details", out var completion))
        {
            reasoning = JsonElementReader.Long(completion, "reasoning_tokens") ?? 0;
        }

        var tokens = new TokenUsage(
            JsonElementReader.Long(usage, "prompt_tokens") ?? 0,
            JsonElementReader.Long(usage, "completion_tokens") ?? 0,
            cached,
            reasoning,
            cacheWrite,
            ReportedCost(usage));
        return tokens;
    }

    /// <summary>OpenRouter's <c>usage.cost</c>: the USD it charged for the call.</summary>
    private static decimal? ReportedCost(JsonElement usage) =>
        usage.ValueKind == JsonValueKind.Object && usage.TryGetProperty("cost", out var cost) &&
        cost.ValueKind == JsonValueKind.Number && cost.TryGetDecimal(out var amount) && amount >= 0
            ? amount
            : null;

    public static void Write(Utf8JsonWriter writer, TokenUsage tokens)
    {
        writer.WriteStartObject("usage"u8);
        writer.WriteNumber("prompt_tokens"u8, tokens.InputTokens);
        writer.WriteNumber("completion_tokens"u8, tokens.OutputTokens);
        writer.WriteNumber("total_tokens"u8, tokens.TotalTokens);
        writer.WriteStartObject("prompt_tokens_details"u8);
        writer.WriteNumber("cached_tokens"u8, tokens.CachedInputTokens);
        if (tokens.CacheWriteInputTokens > 0)
        {
            writer.WriteNumber("cache_write_tokens"u8, tokens.CacheWriteInputTokens);
        }

        writer.WriteEndObject();
        writer.WriteStartObject("completion_tokens_details"u8);
        writer.WriteNumber("reasoning_tokens"u8, tokens.ReasoningTokens);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
