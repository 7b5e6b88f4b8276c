using System.Buffers;
using System.Text.Json;
using Spillway.Core.Chat;
using Spillway.Core.Codecs.OpenAI;
using Spillway.Core.Streaming;

namespace Spillway.Core.Codecs.Responses;

/// <summary>
/// Errors for Responses clients: the body is the one the chat routes write
/// (<c>{"error":{"message","type","param","code"}}</c>); mid-stream it is the <c>error</c> event
/// (<c>{"type":"error","code","message","param","sequence_number"}</c>).
/// </summary>
public static class ResponsesErrorWriter
{
    /// <summary>Writes the error body for <paramref name="error"/>.</summary>
    public static void WriteBody(IBufferWriter<byte> output, ChatError error) => OpenAIChatErrorCodec.WriteBody(output, error);

    /// <summary>Writes the <c>error</c> event with <paramref name="sequenceNumber"/>.</summary>
    public static void WriteStreamError(IBufferWriter<byte> output, ChatError error, long sequenceNumber)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var json = new ArrayBufferWriter<byte>(256);
        using (var writer = ChatJsonWriter.Create(json))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "error"u8);
            writer.WriteString("code"u8, CodeOf(error));
            writer.WriteString("message"u8, error.Message);
            writer.WriteString("param"u8, error.Param);
            writer.WriteNumber("sequence_number"u8, sequenceNumber);
            writer.WriteEndObject();
        }

        SseWriter.WriteEvent(output, json.WrittenSpan, "error");
    }

    /// <summary>The error's code for the client: its own, or the one that goes with its kind.</summary>
    internal static string CodeOf(ChatError error) => error.Code ?? error.Kind switch
    {
        ChatErrorKind.RateLimited => "rate_limit_exceeded",
        ChatErrorKind.InvalidRequest or ChatErrorKind.NotFound or ChatErrorKind.RequestTooLarge => "invalid_request_error",
        ChatErrorKind.Authentication => "invalid_api_key",
        ChatErrorKind.Billing => "insufficient_quota",
        ChatErrorKind.ContentRefused => "content_policy_violation",
        _ => "server_error",
    };
}
