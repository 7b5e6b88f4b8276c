using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.OpenAI;

/// <summary>Reads the token usage of a non-streaming OpenAI-format chat response.</summary>
public static class OpenAIUsageReader
{
    /// <summary>
    /// Returns the response's <c>usage</c>: <c>prompt_tokens</c> (cached included), <c>completion_tokens</c>
    /// (reasoning included), <c>prompt_tokens_details.cached_tokens</c> and
    /// <c>completion_tokens_details.reasoning_tokens</c>. Groq's <c>x_groq.usage</c> is used when <c>usage</c> is
    /// absent. Null when the body has no usage or is not a JSON object.
    /// </summary>
    public static TokenUsage? Read(ReadOnlySpan<byte> responseBody)
    {
        try
        {
            var reader = new Utf8JsonReader(responseBody);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            TokenUsage? groq = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("usage"u8))
                {
                    reader.Read();
                    if (OpenAIUsageParser.Read(ref reader) is { } usage)
                    {
                        return usage;
                    }
                }
                else if (reader.ValueTextEquals("x_groq"u8))
                {
                    reader.Read();
                    groq = ReadNestedUsage(ref reader) ?? groq;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            return groq;
        }
        catch (JsonException)
        {
            // A body cut short or mangled has no usage we can trust; the caller records the call without it.
            return null;
        }
    }

    /// <summary>Reads <c>{"usage": {...}}</c> nested in the object the reader is on (Groq's <c>x_groq</c>).</summary>
    internal static TokenUsage? ReadNestedUsage(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        TokenUsage? usage = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isUsage = reader.ValueTextEquals("usage"u8);
            reader.Read();
            if (isUsage)
            {
                usage = OpenAIUsageParser.Read(ref reader) ?? usage;
            }
            else
            {
                reader.Skip();
            }
        }

        return usage;
    }
}
