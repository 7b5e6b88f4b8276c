using System.Text.Json;

namespace Spillway.Core.Codecs.Anthropic;

/// <summary>
/// Anthropic's <c>POST /v1/messages/count_tokens</c>: the path under a provider's base URL and the answer
/// <c>{"input_tokens": N}</c> both ways.
/// </summary>
public static class AnthropicCountTokens
{
    /// <summary>The path under the base URL (<c>https://api.anthropic.com/v1</c>).</summary>
    public const string Path = "messages/count_tokens";

    /// <summary>The answer's <c>input_tokens</c>, or null when it is not a counting answer.</summary>
    public static long? DecodeResponse(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isCount = reader.ValueTextEquals("input_tokens"u8);
                reader.Read();
                if (isCount)
                {
                    return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var count) && count >= 0 ? count : null;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return null;
    }

    /// <summary>The answer <c>{"input_tokens": N}</c>.</summary>
    public static byte[] EncodeResponse(long inputTokens)
    {
        using var buffer = new MemoryStream(32);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("input_tokens"u8, inputTokens);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
