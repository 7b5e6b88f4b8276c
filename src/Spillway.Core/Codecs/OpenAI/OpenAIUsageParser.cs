using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.OpenAI;

/// <summary>Reads an OpenAI <c>usage</c> object (<c>CompletionUsage</c>) from a reader, for whole responses and chunks.</summary>
internal static class OpenAIUsageParser
{
    /// <summary>
    /// Reads the usage value the reader is on and leaves the reader on its last token. Null for <c>null</c>, a
    /// non-object, or an object with neither <c>prompt_tokens</c> nor <c>completion_tokens</c>. OpenRouter's
    /// <c>cost</c> (USD charged) and <c>prompt_tokens_details.cache_write_tokens</c> are read too.
    /// </summary>
    public static TokenUsage? Read(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        long? prompt = null, completion = null;
        long cached = 0, cacheWrite = 0, reasoning = 0;
        decimal? cost = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("prompt_tokens"u8))
            {
                reader.Read();
                prompt = Count(ref reader);
            }
            else if (reader.ValueTextEquals("completion_tokens"u8))
            {
                reader.Read();
                completion = Count(ref reader);
            }
            else if (reader.ValueTextEquals("prompt_tokens_details"u8))
            {
                reader.Read();
                (cached, cacheWrite) = PromptDetails(ref reader);
            }
            else if (reader.ValueTextEquals("cost"u8))
            {
                reader.Read();
                cost = Money(ref reader);
            }
            else if (reader.ValueTextEquals("completion_tokens_details"u8))
            {
                reader.Read();
                reasoning = CountInside(ref reader, "reasoning_tokens"u8);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (prompt is null && completion is null)
        {
            return null;
        }

        // OpenAI's prompt_tokens already includes the cached part, and completion_tokens the reasoning part,
        // which is exactly how TokenUsage counts them.
        return new TokenUsage(prompt ?? 0, completion ?? 0, cached, reasoning, cacheWrite, cost);
    }

    private static (long Cached, long CacheWrite) PromptDetails(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return (0, 0);
        }

        long cached = 0, cacheWrite = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("cached_tokens"u8))
            {
                reader.Read();
                cached = Count(ref reader) ?? 0;
            }
            else if (reader.ValueTextEquals("cache_write_tokens"u8))
            {
                reader.Read();
                cacheWrite = Count(ref reader) ?? 0;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return (cached, cacheWrite);
    }

    /// <summary>A non-negative USD amount; null when the value is not one.</summary>
    private static decimal? Money(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.Number)
        {
            reader.Skip();
            return null;
        }

        return reader.TryGetDecimal(out var amount) && amount >= 0 ? amount : null;
    }

    private static long CountInside(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return 0;
        }

        long count = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var wanted = reader.ValueTextEquals(name);
            reader.Read();
            if (wanted)
            {
                count = Count(ref reader) ?? 0;
            }
            else
            {
                reader.Skip();
            }
        }

        return count;
    }

    private static long? Count(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.Number)
        {
            reader.Skip();
            return null;
        }

        if (reader.TryGetInt64(out var whole))
        {
            return whole;
        }

        // Some hosts print counts as floats ("30.0").
        return reader.TryGetDouble(out var real) && double.IsFinite(real) && real >= 0 ? (long)real : null;
    }
}
