using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Spillway.Core.Chat;

/// <summary>
/// Creates the JSON writers of the codecs. Bodies go to API clients, never into HTML, so only what JSON requires
/// is escaped: text stays readable (<c>'</c>, <c>&lt;</c>, non-ASCII) and as short as the provider sent it.
/// </summary>
internal static class ChatJsonWriter
{
    public static JsonWriterOptions Options { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Utf8JsonWriter Create(IBufferWriter<byte> output) => new(output, Options);
}
