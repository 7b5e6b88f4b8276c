using System.Buffers;
using System.Text.Json;
using Spillway.Core.Chat;
using Spillway.Core.Failures.Vocabularies;
using Spillway.Core.Streaming;

namespace Spillway.Core.Codecs.Anthropic;

/// <summary>
/// Anthropic errors both ways: the body <c>{"type":"error","error":{"type","message"}}</c> with the type that goes
/// with the status (wire-facts §2.4), and the <c>event: error</c> that ends a stream which failed after it started.
/// </summary>
public static class AnthropicErrorCodec
{
    /// <summary>The Anthropic error type of <paramref name="kind"/>.</summary>
    public static string TypeOf(ChatErrorKind kind) => kind switch
    {
        ChatErrorKind.Authentication => AnthropicErrorTypes.Authentication,
        ChatErrorKind.Billing => AnthropicErrorTypes.Billing,
        ChatErrorKind.PermissionDenied => AnthropicErrorTypes.Permission,
        ChatErrorKind.NotFound => AnthropicErrorTypes.NotFound,
        ChatErrorKind.RequestTooLarge => AnthropicErrorTypes.RequestTooLarge,
        ChatErrorKind.RateLimited => AnthropicErrorTypes.RateLimit,
        ChatErrorKind.Server => AnthropicErrorTypes.Api,
        ChatErrorKind.Timeout => AnthropicErrorTypes.Timeout,
        ChatErrorKind.Overloaded => AnthropicErrorTypes.Overloaded,
        _ => AnthropicErrorTypes.InvalidRequest,
    };

    /// <summary>The Anthropic error type for an HTTP status (400 and unknown 4xx: <c>invalid_request_error</c>).</summary>
    public static string TypeOfStatus(int status) => TypeOf(ChatErrorKinds.FromStatus(status));

    /// <summary>The error body for <paramref name="error"/>.</summary>
    public static byte[] EncodeBody(ChatError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var output = new ArrayBufferWriter<byte>(128 + error.Message.Length);
        WriteBody(output, TypeOf(error.Kind), error.Message);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Writes <c>event: error</c> with the error body as its data; nothing may follow it.</summary>
    public static void WriteStreamError(IBufferWriter<byte> output, ChatError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        WriteStreamError(output, TypeOf(error.Kind), error.Message);
    }

    /// <summary>Writes the body <c>{"type":"error","error":{"type","message"}}</c>.</summary>
    public static void WriteBody(IBufferWriter<byte> output, string type, string message)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var writer = ChatJsonWriter.Create(output);
        writer.WriteStartObject();
        writer.WriteString("type"u8, "error"u8);
        writer.WriteStartObject("error"u8);
        writer.WriteString("type"u8, type);
        writer.WriteString("message"u8, message);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Writes <c>event: error</c> with a body of <paramref name="type"/> and <paramref name="message"/>.</summary>
    public static void WriteStreamError(IBufferWriter<byte> output, string type, string message)
    {
        var body = new ArrayBufferWriter<byte>(128 + message.Length);
        WriteBody(body, type, message);
        SseWriter.WriteEvent(output, body.WrittenSpan, SseEventNames.Error);
    }

    /// <summary>
    /// Reads an upstream error body. The type in the body wins over the status (a 529 says overloaded); a body
    /// that is not an Anthropic error (an HTML page from a proxy) still gives an error of the status's kind.
    /// </summary>
    public static ChatError Decode(int status, ReadOnlySpan<byte> body)
    {
        string? type = null, message = null;
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            if (JsonElementReader.TryGet(document.RootElement, "error", out var error))
            {
                type = JsonElementReader.String(error, "type");
                message = JsonElementReader.String(error, "message");
            }
        }
        catch (JsonException)
        {
            // Not JSON: the status alone says what happened.
        }

        var kind = type is null ? ChatErrorKinds.FromStatus(status) : KindOf(type, status);
        return new ChatError(status, kind, message ?? $"The upstream answered with status {status}.") { Code = type };
    }

    /// <summary>The kind of an Anthropic error type.</summary>
    public static ChatErrorKind KindOf(string type, int status) => type switch
    {
        AnthropicErrorTypes.InvalidRequest => ChatErrorKind.InvalidRequest,
        AnthropicErrorTypes.Authentication => ChatErrorKind.Authentication,
        AnthropicErrorTypes.Billing => ChatErrorKind.Billing,
        AnthropicErrorTypes.Permission => ChatErrorKind.PermissionDenied,
        AnthropicErrorTypes.NotFound => ChatErrorKind.NotFound,
        AnthropicErrorTypes.RequestTooLarge => ChatErrorKind.RequestTooLarge,
        AnthropicErrorTypes.RateLimit => ChatErrorKind.RateLimited,
        AnthropicErrorTypes.Api => ChatErrorKind.Server,
        AnthropicErrorTypes.Timeout => ChatErrorKind.Timeout,
        AnthropicErrorTypes.Overloaded => ChatErrorKind.Overloaded,
        _ => ChatErrorKinds.FromStatus(status),
    };
}
