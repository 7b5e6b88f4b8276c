using Spillway.Core.Chat;
using Spillway.Core.Buffers;

namespace Spillway.Http;

/// <summary>
/// What the door takes in before a format reads the request: a JSON body, within its size limit, that arrived
/// whole. Each refusal is a <see cref="ChatError"/> for the caller's format; the body is held until disposed.
/// </summary>
/// <remarks>
/// A JSON content type is required: a browser page may send a <c>text/plain</c> (or untyped) POST to a gateway on
/// the user's machine without a CORS preflight, but not an <c>application/json</c> one, so this keeps web pages
/// from spending the user's keys through a loopback Spillway.
/// </remarks>
internal sealed class RequestIntake : IDisposable
{
    private readonly PooledBufferWriter? _body;

    private RequestIntake(PooledBufferWriter? body, ChatError? error)
    {
        _body = body;
        Error = error;
    }

    /// <summary>Why the request is refused before its body is read, or null.</summary>
    public ChatError? Error { get; }

    /// <summary>The body, when <see cref="Error"/> is null.</summary>
    public PooledBufferWriter Body => _body ?? throw new InvalidOperationException("The request was refused: " + Error?.Message);

    public static async Task<RequestIntake> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (!IsJson(request.ContentType))
        {
            var shown = string.IsNullOrEmpty(request.ContentType) ? "none" : "'" + HeaderValues.Safe(request.ContentType) + "'";
            return new(null, new ChatError(
                415, ChatErrorKind.InvalidRequest, $"Send the JSON body with Content-Type: application/json (this request's Content-Type: {shown}).")
            {
                Code = "unsupported_media_type",
            });
        }

        try
        {
            var body = await RequestBodyReader.ReadAsync(request, maxBytes, cancellationToken);
            return body is null ? new(null, TooLarge(maxBytes)) : new(body, null);
        }
        catch (BadHttpRequestException ex)
        {
            return new(null, ErrorOf(ex, maxBytes));
        }
    }

    /// <summary>Kestrel's refusal of a body (too large, too slow, cut short or badly chunked) as a client error.</summary>
    public static ChatError ErrorOf(BadHttpRequestException exception, long maxBytes) => exception.StatusCode switch
    {
        413 => TooLarge(maxBytes),
        408 => new ChatError(408, ChatErrorKind.InvalidRequest, "The request body arrived too slowly; the connection is closed.")
        {
            Code = "request_timeout",
        },
        _ => new ChatError(
            exception.StatusCode is >= 400 and < 500 ? exception.StatusCode : 400,
            ChatErrorKind.InvalidRequest,
            "The request body could not be read: it was cut short or badly framed.")
        {
            Code = "invalid_request_body",
        },
    };

    public void Dispose() => _body?.Dispose();

    /// <summary><c>application/json</c>, or any <c>+json</c> type, with any parameters; case does not matter.</summary>
    internal static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return false;
        }

        var mediaType = contentType.AsSpan();
        var semicolon = mediaType.IndexOf(';');
        mediaType = (semicolon < 0 ? mediaType : mediaType[..semicolon]).Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) &&
                mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }

    private static ChatError TooLarge(long maxBytes) =>
        new(413, ChatErrorKind.RequestTooLarge, $"The request body is larger than {maxBytes} bytes.") { Code = "request_too_large" };
}
