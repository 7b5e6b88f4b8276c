using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.OpenAI;

/// <summary>
/// Writes OpenAI <c>usage</c> (wire-facts §6; <see cref="OpenAIUsageReader"/> reads it): <c>prompt_tokens</c>
/// includes cached input and <c>completion_tokens</c> includes reasoning, exactly as <see cref="TokenUsage"/> counts them.
/// </summary>
internal static class OpenAIUsageWriter
{
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
