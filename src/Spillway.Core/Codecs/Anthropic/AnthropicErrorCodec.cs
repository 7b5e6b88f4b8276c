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
    /// <summary>The Anthropic error type of <paramref name="error"/>'s kind.</summary>
    private static string TypeOf(ChatError error)
    {
        ArgumentNullException.ThrowIfNull(error);

        // Anthropic has no type for a content refusal (it refuses with a 400 invalid_request_error itself): the
        // refusal takes the type of the status it carries.
        var kind = error.Kind == ChatErrorKind.ContentRefused ? ChatErrorKinds.FromStatus(error.Status) : error.Kind;
        return kind switch
        {
            ChatErrorKind.Authentication => AnthropicErrorTypes.Authentication,
            ChatErrorKind.Billing => AnthropicErrorTypes.Billing,
            ChatErrorKind.PermissionDenied => AnthropicErrorTypes.Permission,
            ChatErrorKind.NotFound => AnthropicErrorTypes.NotFound,
            ChatErrorKind.RequestTooLarge => AnthropicErrorTypes.RequestTooLarge,
            ChatErrorKind.RateLimited => AnthropicErrorTypes.RateLimit,
            ChatErrorKind.Server or ChatErrorKind.UpstreamFailed => AnthropicErrorTypes.Api,
            ChatErrorKind.Timeout => AnthropicErrorTypes.Timeout,
            ChatErrorKind.Overloaded => AnthropicErrorTypes.Overloaded,
            _ => AnthropicErrorTypes.InvalidRequest,
        };
    }

    /// <summary>The error body for <paramref name="error"/>.</summary>
    public static byte[] EncodeBody(ChatError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var output = new ArrayBufferWriter<byte>(128 + error.Message.Length);
        WriteBody(output, error);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Writes the body <c>{"type":"error","error":{"type","message"}}</c> for <paramref name="error"/>.</summary>
    public static void WriteBody(IBufferWriter<byte> output, ChatError error)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var writer = ChatJsonWriter.Create(output);
        writer.WriteStartObject();
        writer.WriteString("type"u8, "error"u8);
        writer.WriteStartObject("error"u8);
        writer.WriteString("type"u8, TypeOf(error));
        writer.WriteString("message"u8, error.Message);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>
    /// Writes <c>event: error</c> with the error body as its data; nothing may follow it. Mid-stream the status is
    /// already 200: the error's kind says what failed.
    /// </summary>
    public static void WriteStreamError(IBufferWriter<byte> output, ChatError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var body = new ArrayBufferWriter<byte>(128 + error.Message.Length);
        WriteBody(body, error);
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
        return new ChatError(status, kind, message ?? $"The upstream answered with status {status}.") { UpstreamCode = type };
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
