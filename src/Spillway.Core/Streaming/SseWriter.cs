using System.Buffers;
using System.Text;

namespace Spillway.Core.Streaming;

/// <summary>
/// Writes Server-Sent Events: the one SSE encoder of the program, the counterpart of <see cref="SseReader"/>.
/// </summary>
public static class SseWriter
{
    /// <summary>
    /// Writes one event: an optional <c>event:</c> line, one <c>data:</c> line per line of <paramref name="data"/>
    /// (split at <c>\n</c>, <c>\r\n</c> and <c>\r</c>, as a reader splits them), and the blank line that ends it.
    /// </summary>
    /// <param name="output">Where the bytes go.</param>
    /// <param name="data">The event's data, usually one JSON document.</param>
    /// <param name="eventName">The event name (Anthropic streams), or null for none (OpenAI streams).</param>
    /// <exception cref="ArgumentException"><paramref name="eventName"/> contains a line break.</exception>
    public static void WriteEvent(IBufferWriter<byte> output, ReadOnlySpan<byte> data, string? eventName = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (eventName is not null)
        {
            if (eventName.AsSpan().IndexOfAny('\r', '\n') >= 0)
            {
                throw new ArgumentException("An SSE event name cannot contain a line break.", nameof(eventName));
            }

            output.Write("event: "u8);
            WriteUtf8(output, eventName);
            output.Write("\n"u8);
        }

        while (true)
        {
            var lineEnd = data.IndexOfAny((byte)'\r', (byte)'\n');
            var line = lineEnd < 0 ? data : data[..lineEnd];
            output.Write("data: "u8);
            output.Write(line);
            output.Write("\n"u8);
            if (lineEnd < 0)
            {
                break;
            }

            var crlf = data[lineEnd] == (byte)'\r' && lineEnd + 1 < data.Length && data[lineEnd + 1] == (byte)'\n';
            data = data[(lineEnd + (crlf ? 2 : 1))..];
        }

        output.Write("\n"u8);
    }

    /// <summary>Writes the OpenAI end-of-stream marker <c>data: [DONE]</c> and its blank line.</summary>
    public static void WriteDone(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write("data: [DONE]\n\n"u8);
    }

    /// <summary>
    /// Writes a comment (<c>: text</c>), which readers skip; used as a keep-alive. Each line of
    /// <paramref name="text"/> becomes its own comment line, and a blank line follows, as upstreams send them.
    /// </summary>
    public static void WriteComment(IBufferWriter<byte> output, string text)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(text);
        var rest = text.AsSpan();
        while (true)
        {
            var lineEnd = rest.IndexOfAny('\r', '\n');
            var line = lineEnd < 0 ? rest : rest[..lineEnd];
            output.Write(line.IsEmpty ? ":"u8 : ": "u8);
            WriteUtf8(output, line);
            output.Write("\n"u8);
            if (lineEnd < 0)
            {
                break;
            }

            var crlf = rest[lineEnd] == '\r' && lineEnd + 1 < rest.Length && rest[lineEnd + 1] == '\n';
            rest = rest[(lineEnd + (crlf ? 2 : 1))..];
        }

        output.Write("\n"u8);
    }

    private static void WriteUtf8(IBufferWriter<byte> output, ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return;
        }

        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }
}
