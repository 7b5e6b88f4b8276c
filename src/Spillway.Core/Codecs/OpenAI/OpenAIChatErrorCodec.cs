using System.Buffers;
using Spillway.Core.Chat;
using Spillway.Core.Failures.Vocabularies;

namespace Spillway.Core.Codecs.OpenAI;

/// <summary>
/// OpenAI errors both ways, on top of <see cref="OpenAIErrorWriter"/> and the existing error parser: the body
/// <c>{"error":{"message","type","param","code"}}</c>, and mid-stream <c>data: {"error":{...}}</c> with no
/// <c>[DONE]</c>.
/// </summary>
public static class OpenAIChatErrorCodec
{
    /// <summary>
    /// The OpenAI <c>type</c> of <paramref name="kind"/>, and the <c>code</c> written when the error has none. A
    /// missing model or URL is an <c>invalid_request_error</c> as OpenAI answers it, with the status saying 404.
    /// </summary>
    private static (string Type, string? Code) TypeOf(ChatErrorKind kind) => kind switch
    {
        ChatErrorKind.Authentication => (OpenAIErrorCodes.AuthenticationError, OpenAIErrorCodes.InvalidApiKey),
        ChatErrorKind.Billing => (OpenAIErrorCodes.InsufficientQuota, OpenAIErrorCodes.InsufficientQuota),
        ChatErrorKind.PermissionDenied => (OpenAIErrorCodes.PermissionError, null),
        ChatErrorKind.NotFound => (OpenAIErrorCodes.InvalidRequestError, OpenAIErrorCodes.ModelNotFound),
        ChatErrorKind.RequestTooLarge => (OpenAIErrorCodes.InvalidRequestError, OpenAIErrorCodes.RequestTooLarge),
        ChatErrorKind.RateLimited => (OpenAIErrorCodes.RateLimitExceeded, OpenAIErrorCodes.RateLimitExceeded),
        ChatErrorKind.Server => (OpenAIErrorCodes.ServerError, null),
        ChatErrorKind.Timeout => (OpenAIErrorCodes.ServerError, OpenAIErrorCodes.Timeout),
        ChatErrorKind.Overloaded => (OpenAIErrorCodes.ServerError, OpenAIErrorCodes.Overloaded),
        ChatErrorKind.ContentRefused => (OpenAIErrorCodes.ContentPolicyViolation, null),
        ChatErrorKind.UpstreamFailed => ("upstream_error", null),
        _ => (OpenAIErrorCodes.InvalidRequestError, null),
    };

    /// <summary>Writes the error body for <paramref name="error"/> into <paramref name="output"/>.</summary>
    public static void WriteBody(IBufferWriter<byte> output, ChatError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var (type, code) = TypeOf(error.Kind);
        OpenAIErrorWriter.WriteBody(output, error.Message, type, error.Param, error.Code ?? code);
    }

    /// <summary>The error body for <paramref name="error"/>.</summary>
    public static byte[] EncodeBody(ChatError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var (type, code) = TypeOf(error.Kind);
        return OpenAIErrorWriter.CreateBody(error.Message, type, error.Param, error.Code ?? code);
    }

    /// <summary>Writes the in-band stream error that ends a failed stream (no <c>[DONE]</c> follows).</summary>
    public static void WriteStreamError(IBufferWriter<byte> output, ChatError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var (type, code) = TypeOf(error.Kind);
        OpenAIErrorWriter.WriteStreamError(output, error.Message, type, error.Param, error.Code ?? code);
    }

    /// <summary>
    /// Reads an upstream error body. <c>insufficient_quota</c> is billing whatever the status (OpenAI sends it
    /// with 429); otherwise the status decides, or the status inside the body (OpenRouter) when there is one.
    /// </summary>
    public static ChatError Decode(int status, ReadOnlySpan<byte> body)
    {
        OpenAIErrorDetails? details = null;
        try
        {
            var reader = new System.Text.Json.Utf8JsonReader(body);
            if (reader.Read() && reader.TokenType == System.Text.Json.JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == System.Text.Json.JsonTokenType.PropertyName)
                {
                    var isError = reader.ValueTextEquals("error"u8);
                    reader.Read();
                    if (isError)
                    {
                        details = OpenAIErrorParser.Read(ref reader);
                        break;
                    }

                    reader.Skip();
                }
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Not JSON: the status alone says what happened.
        }

        return FromDetails(details, status);
    }

    internal static ChatError FromDetails(OpenAIErrorDetails? details, int status)
    {
        var effective = status is 0 or 200 ? details?.Status ?? 500 : status;
        var kind = details?.Type == OpenAIErrorCodes.InsufficientQuota || details?.Code == OpenAIErrorCodes.InsufficientQuota
            ? ChatErrorKind.Billing
            : ChatErrorKinds.FromStatus(effective);
        return new ChatError(effective, kind, details?.Message ?? $"The upstream answered with status {effective}.")
        {
            Param = details?.Param,
            UpstreamCode = details?.Code ?? details?.Type,
        };
    }
}
