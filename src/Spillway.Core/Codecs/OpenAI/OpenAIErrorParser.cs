using System.Globalization;
using System.Text.Json;

namespace Spillway.Core.Codecs.OpenAI;

/// <summary>Reads the value of an OpenAI-format <c>error</c> key (OpenAI, OpenRouter and compatible hosts).</summary>
internal static class OpenAIErrorParser
{
    /// <summary>
    /// Reads the error value the reader is on and leaves the reader on its last token; null for <c>null</c>.
    /// A bare string becomes the message; any other non-object is an error without details.
    /// </summary>
    public static OpenAIErrorDetails? Read(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return new OpenAIErrorDetails(reader.GetString(), null, null, null, null);
            case JsonTokenType.StartObject:
                break;
            default:
                reader.Skip();
                return new OpenAIErrorDetails(null, null, null, null, null);
        }

        string? message = null, type = null, code = null, param = null, metadataType = null;
        int? status = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                message = StringOrNull(ref reader);
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = StringOrNull(ref reader);
            }
            else if (reader.ValueTextEquals("param"u8))
            {
                reader.Read();
                param = StringOrNull(ref reader);
            }
            else if (reader.ValueTextEquals("code"u8))
            {
                reader.Read();
                (code, status) = ReadCode(ref reader, status);
            }
            else if (reader.ValueTextEquals("metadata"u8))
            {
                reader.Read();
                metadataType = ReadMetadataErrorType(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new OpenAIErrorDetails(message, type ?? metadataType, code, status, param);
    }

    private static (string? Code, int? Status) ReadCode(ref Utf8JsonReader reader, int? status)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            // OpenRouter puts the HTTP status in error.code.
            return (null, reader.TryGetInt32(out var number) ? number : status);
        }

        var code = StringOrNull(ref reader);
        if (code is { Length: 3 } && int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            && parsed is >= 100 and <= 599)
        {
            status = parsed;
        }

        return (code, status);
    }

    private static string? ReadMetadataErrorType(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        string? errorType = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var wanted = reader.ValueTextEquals("error_type"u8);
            reader.Read();
            if (wanted)
            {
                errorType = StringOrNull(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }

        return errorType;
    }

    private static string? StringOrNull(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }
}
