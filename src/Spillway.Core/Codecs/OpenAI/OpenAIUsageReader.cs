using System.Runtime.InteropServices;
using System.Text.Json;
using Spillway.Core.Buffers;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.OpenAI;

/// <summary>
/// The one reader of OpenAI-format token usage: a non-streaming response's body for the ledger, and the
/// <c>usage</c> value the codecs' decoders meet in a response or a stream chunk.
/// </summary>
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
            return reader.Read() && reader.TokenType == JsonTokenType.StartObject ? ReadTopLevel(ref reader, wholeBody: false) : null;
        }
        catch (JsonException)
        {
            // A body cut short or mangled has no usage we can trust; the caller records the call without it.
            return null;
        }
    }

    /// <summary>
    /// In one pass, whether <paramref name="responseBody"/> is exactly one complete JSON value (as
    /// <see cref="JsonCompleteness.IsComplete"/>) and, when it is an object, its usage as <see cref="Read"/> finds it:
    /// an answer relayed as is is checked and measured without being read twice.
    /// </summary>
    /// <returns>False when the body is not one complete JSON value (then <paramref name="usage"/> is null).</returns>
    public static bool TryReadComplete(ReadOnlySpan<byte> responseBody, out TokenUsage? usage)
    {
        usage = null;
        try
        {
            var reader = new Utf8JsonReader(responseBody, new JsonReaderOptions { MaxDepth = JsonCompleteness.MaxDepth });
            if (!reader.Read())
            {
                return false;
            }

            TokenUsage? found = null;
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                found = ReadTopLevel(ref reader, wholeBody: true);
            }
            else
            {
                reader.Skip();
            }

            // A second top-level value, or trailing garbage, makes Read throw or return true.
            if (reader.Read())
            {
                return false;
            }

            usage = found;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// Reads the properties of the top-level object the reader is on for its usage: the first <c>usage</c> with
    /// counts, else Groq's <c>x_groq.usage</c>.
    /// </summary>
    /// <param name="reader">On the object's start.</param>
    /// <param name="wholeBody">True to read on to the object's end (checking every token); false to stop at the usage.</param>
    private static TokenUsage? ReadTopLevel(ref Utf8JsonReader reader, bool wholeBody)
    {
        TokenUsage? usage = null;
        TokenUsage? groq = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (usage is null && reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                usage = ReadUsage(ref reader);
                if (usage is not null && !wholeBody)
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

        return usage ?? groq;
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
                usage = ReadUsage(ref reader) ?? usage;
            }
            else
            {
                reader.Skip();
            }
        }

        return usage;
    }

    /// <summary>
    /// Reads a parsed <c>usage</c> value for a decoder: zeros when it holds no counts, as an answer that has a
    /// <c>usage</c> still reports one.
    /// </summary>
    internal static TokenUsage ReadUsage(JsonElement usage)
    {
        var reader = new Utf8JsonReader(JsonMarshal.GetRawUtf8Value(usage));
        reader.Read();
        return ReadUsage(ref reader, costWithoutCounts: true) ?? default;
    }

    /// <summary>
    /// Reads the <c>usage</c> value (<c>CompletionUsage</c>) the reader is on, in a whole response or a stream chunk,
    /// and leaves the reader on its last token. Null for <c>null</c>, a non-object, or an object with neither <c>prompt_tokens</c> nor <c>completion_tokens</c>. OpenRouter's
    /// <c>cost</c> (USD charged) and <c>prompt_tokens_details.cache_write_tokens</c> are read too.
    /// </summary>
    internal static TokenUsage? ReadUsage(ref Utf8JsonReader reader) => ReadUsage(ref reader, costWithoutCounts: false);

    /// <param name="reader">On the <c>usage</c> value.</param>
    /// <param name="costWithoutCounts">
    /// True to keep a <c>cost</c> that came without token counts (as zero counts with that cost), as the decoders
    /// always have; the ledger's reader of a relayed body takes only a usage with counts.
    /// </param>
    private static TokenUsage? ReadUsage(ref Utf8JsonReader reader, bool costWithoutCounts)
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

        if (prompt is null && completion is null && !(costWithoutCounts && cost is not null))
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
