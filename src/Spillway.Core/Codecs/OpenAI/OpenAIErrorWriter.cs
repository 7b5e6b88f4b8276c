using System.Buffers;
using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.OpenAI;

/// <summary>
/// Writes errors in the OpenAI format: the body <c>{"error":{"message","type","param","code"}}</c> with all four
/// keys (null where absent, as the spec's <c>ErrorResponse</c> requires), and the in-band stream error event that
/// ends a stream which failed after the commit point.
/// </summary>
public static class OpenAIErrorWriter
{
    /// <summary>Writes the error body into <paramref name="output"/>.</summary>
    /// <param name="output">Where the JSON goes.</param>
    /// <param name="message">A sentence for the client.</param>
    /// <param name="type">The error type, e.g. <c>invalid_request_error</c>, <c>rate_limit_error</c>.</param>
    /// <param name="param">The request field at fault, if any.</param>
    /// <param name="code">A machine-readable code, e.g. <c>rate_limit_exceeded</c>.</param>
    public static void WriteBody(
        IBufferWriter<byte> output, string message, string? type, string? param = null, string? code = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(message);

        // Error text is read by people: quotes and apostrophes stay as they are (the body is JSON, never HTML).
        using var writer = ChatJsonWriter.Create(output);
        WriteError(writer, message, type, param, code);
    }

    /// <summary>Returns the error body as a new array, for responses written whole.</summary>
    public static byte[] CreateBody(string message, string? type, string? param = null, string? code = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        var output = new ArrayBufferWriter<byte>(128 + message.Length);
        WriteBody(output, message, type, param, code);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Writes the stream error event <c>data: {"error":{...}}</c> and its blank line. No <c>[DONE]</c> follows:
    /// clients read a stream without it as unfinished, so a cut answer is never taken for a complete one.
    /// </summary>
    public static void WriteStreamError(
        IBufferWriter<byte> output, string message, string? type, string? param = null, string? code = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(message);
        output.Write("data: "u8);

        // Utf8JsonWriter escapes control characters, so the JSON stays on the one data line.
        using (var writer = ChatJsonWriter.Create(output))
        {
            WriteError(writer, message, type, param, code);
        }

        output.Write("\n\n"u8);
    }

    private static void WriteError(Utf8JsonWriter writer, string message, string? type, string? param, string? code)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("error"u8);
        writer.WriteString("message"u8, message);
        writer.WriteString("type"u8, type);
        writer.WriteString("param"u8, param);
        writer.WriteString("code"u8, code);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
