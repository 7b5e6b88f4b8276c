using System.Buffers;
using System.Text.Json;

namespace Spillway.Simulator;

/// <summary>Writes JSON with <see cref="Utf8JsonWriter"/>: no reflection, so nothing for the trimming analyzers to warn about.</summary>
internal static class JsonBody
{
    // The real APIs send non-ASCII text as is; the default encoder would escape it (and '+', '<', …).
    private static readonly JsonWriterOptions Options = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes <c>{"error":{…}}</c> with the envelope's members written by <paramref name="members"/>.</summary>
    public static byte[] ErrorEnvelope(Action<Utf8JsonWriter> members) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        members(writer);
        writer.WriteEndObject();
        writer.WriteEndObject();
    });

    public static void WriteNullableString(this Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
