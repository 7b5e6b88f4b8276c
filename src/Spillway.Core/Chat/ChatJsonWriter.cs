using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Spillway.Core.Chat;

/// <summary>
/// The one set of JSON writer options for what goes to API clients and upstreams (codec bodies, error bodies, stream
/// events), and the writers made with it. Bodies go to API clients, never into HTML, so only what JSON requires
/// is escaped: text stays readable (<c>'</c>, <c>&lt;</c>, non-ASCII) and as short as the provider sent it.
/// </summary>
internal static class ChatJsonWriter
{
    public static JsonWriterOptions Options { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Utf8JsonWriter Create(IBufferWriter<byte> output) => new(output, Options);
}
