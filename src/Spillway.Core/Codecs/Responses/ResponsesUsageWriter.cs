using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Responses;

/// <summary>
/// Writes Responses <c>usage</c>: <c>input_tokens</c> includes cached input and cache writes, and
/// <c>output_tokens</c> includes reasoning, exactly as <see cref="TokenUsage"/> counts them.
/// </summary>
internal static class ResponsesUsageWriter
{
    public static void Write(Utf8JsonWriter writer, TokenUsage tokens)
    {
        writer.WriteStartObject("usage"u8);
        writer.WriteNumber("input_tokens"u8, tokens.InputTokens);
        writer.WriteStartObject("input_tokens_details"u8);
        writer.WriteNumber("cached_tokens"u8, tokens.CachedInputTokens);
        writer.WriteNumber("cache_write_tokens"u8, tokens.CacheWriteInputTokens);
        writer.WriteEndObject();
        writer.WriteNumber("output_tokens"u8, tokens.OutputTokens);
        writer.WriteStartObject("output_tokens_details"u8);
        writer.WriteNumber("reasoning_tokens"u8, tokens.ReasoningTokens);
        writer.WriteEndObject();
        writer.WriteNumber("total_tokens"u8, tokens.TotalTokens);
        writer.WriteEndObject();
    }
}
