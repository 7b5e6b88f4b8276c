using System.Buffers;
using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Gemini;

/// <summary>Small JSON helpers shared by the Gemini codec.</summary>
internal static class GeminiJson
{
    /// <summary>Writes with <paramref name="write"/> into a new array.</summary>
    public static byte[] Build(Action<Utf8JsonWriter> write, int sizeHint = 256)
    {
        var buffer = new ArrayBufferWriter<byte>(sizeHint);
        using (var writer = ChatJsonWriter.Create(buffer))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Copies the value the reader is on (an object, array or scalar) out of <paramref name="source"/>, leaving the
    /// reader on its last token. The bytes are copied so the value outlives a pooled request buffer.
    /// </summary>
    public static RawJson Capture(ref Utf8JsonReader reader, ReadOnlySpan<byte> source)
    {
        var start = checked((int)reader.TokenStartIndex);
        reader.Skip();
        var end = checked((int)reader.BytesConsumed);
        return new RawJson(source[start..end].ToArray());
    }

    /// <summary>The string the reader is on, or null (the value skipped) when it is not a string.</summary>
    public static string? ReadString(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }

    /// <summary>The integer the reader is on, or null (the value skipped) when it is not an integer.</summary>
    public static long? ReadInt64(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value))
        {
            return value;
        }

        // Token counts are int64 in the protos, which JSON may spell as strings.
        if (reader.TokenType == JsonTokenType.String
            && long.TryParse(reader.GetString(), System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }

        reader.Skip();
        return null;
    }

    /// <summary>The number the reader is on, or null (the value skipped) when it is not a number.</summary>
    public static double? ReadDouble(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var value))
        {
            return value;
        }

        reader.Skip();
        return null;
    }

    /// <summary>Writes a string that holds a JSON value (tool arguments) as that value, unparsed.</summary>
    public static void WriteRaw(Utf8JsonWriter writer, string json) =>
        writer.WriteRawValue(json, skipInputValidation: true);

    /// <summary>The string a raw JSON value holds, or null when it holds something else.</summary>
    public static string? StringOf(RawJson raw)
    {
        if (raw.IsEmpty)
        {
            return null;
        }

        var reader = new Utf8JsonReader(raw.Utf8.Span);
        return reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
    }
}
