using System.Buffers;
using System.Text.Json;
using Spillway.Core.Chat;
using Spillway.Core.Failures.Vocabularies;
using Spillway.Core.Streaming;

namespace Spillway.Core.Codecs.Gemini;

/// <summary>
/// Gemini's error body, google.rpc.Status <c>{"error":{"code","message","status","details"}}</c> (wire-facts
/// §3.6), both ways. Deciding what a failure means for routing (per-minute or per-day quota, …) is not done here:
/// <c>Failures.Classification</c> reads the same body for that.
/// </summary>
public static class GeminiErrorCodec
{
    private const string BadRequestType = "type.googleapis.com/google.rpc.BadRequest";

    /// <summary>
    /// Decodes an error body Gemini answered with <paramref name="httpStatus"/>. Also reads the array envelope of
    /// Gemini's OpenAI-compatible endpoint and bodies that are not JSON at all.
    /// </summary>
    public static ChatError Decode(int httpStatus, ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
            {
                reader.Read();
            }

            if (reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isError = reader.ValueTextEquals("error"u8);
                    reader.Read();
                    if (isError && reader.TokenType == JsonTokenType.StartObject)
                    {
                        return FromStatus(httpStatus, ref reader);
                    }

                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's page, a cut body): described by the HTTP status alone.
        }

        var status = httpStatus >= 400 ? httpStatus : 502;
        return new ChatError(status, KindOf(null, null, status), $"Gemini answered with HTTP {status}.");
    }

    /// <summary>Decodes the inner status object (<c>error</c>'s value) of an in-band stream error.</summary>
    internal static ChatError Decode(int httpStatus, RawJson statusObject)
    {
        var reader = new Utf8JsonReader(statusObject.Utf8.Span);
        try
        {
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                return FromStatus(httpStatus, ref reader);
            }
        }
        catch (JsonException)
        {
            // Falls through to the generic failure.
        }

        return new ChatError(502, ChatErrorKind.Server, "Gemini reported an error it did not describe.");
    }

    /// <summary>Encodes <paramref name="error"/> as a Gemini error body.</summary>
    public static byte[] Encode(ChatError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return GeminiJson.Build(writer => Write(writer, error), 128 + error.Message.Length);
    }

    /// <summary>
    /// Writes the in-band error that ends a Gemini stream which failed after it began: one <c>data:</c> event
    /// holding the error body. No chunk with a finish reason precedes it, so the answer reads as cut short.
    /// </summary>
    public static void WriteStreamError(IBufferWriter<byte> output, ChatError error)
    {
        ArgumentNullException.ThrowIfNull(output);
        SseWriter.WriteEvent(output, Encode(error));
    }

    private static void Write(Utf8JsonWriter writer, ChatError error)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("error"u8);
        writer.WriteNumber("code"u8, error.Status);
        writer.WriteString("message"u8, error.Message);
        writer.WriteString("status"u8, StatusOf(error));
        if (error.Param is not null)
        {
            writer.WriteStartArray("details"u8);
            writer.WriteStartObject();
            writer.WriteString("@type"u8, BadRequestType);
            writer.WriteStartArray("fieldViolations"u8);
            writer.WriteStartObject();
            writer.WriteString("field"u8, error.Param);
            writer.WriteString("description"u8, error.Message);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static ChatError FromStatus(int httpStatus, ref Utf8JsonReader reader)
    {
        int? code = null;
        string? message = null, status = null, reason = null, field = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "code":
                    code = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var number) ? number : null;
                    reader.Skip();
                    break;
                case "message":
                    message = GeminiJson.ReadString(ref reader);
                    break;
                case "status":
                    status = GeminiJson.ReadString(ref reader);
                    break;
                case "details":
                    ReadDetails(ref reader, ref reason, ref field);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        // An error inside a 200 stream carries its real status in "code".
        var httpCode = httpStatus >= 400 ? httpStatus : code is >= 400 and < 600 ? code.Value : 500;
        return new ChatError(httpCode, KindOf(status, reason, httpCode),
            string.IsNullOrEmpty(message) ? $"Gemini answered with HTTP {httpCode}." : message)
        {
            UpstreamCode = status,
            Param = field,
        };
    }

    private static void ReadDetails(ref Utf8JsonReader reader, ref string? reason, ref string? field)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        // Recognised by content: ErrorInfo has "reason", BadRequest has "fieldViolations".
        var depth = reader.CurrentDepth;
        while (reader.Read() && reader.CurrentDepth > depth)
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            if (reader.ValueTextEquals("reason"u8) && reader.Read())
            {
                reason ??= GeminiJson.ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("field"u8) && reader.Read())
            {
                field ??= GeminiJson.ReadString(ref reader);
            }
        }
    }

    private static ChatErrorKind KindOf(string? status, string? reason, int httpStatus)
    {
        if (reason is GeminiErrorStatuses.ApiKeyInvalidReason or GeminiErrorStatuses.ApiKeyExpiredReason)
        {
            return ChatErrorKind.Authentication;
        }

        return status switch
        {
            GeminiErrorStatuses.InvalidArgument or GeminiErrorStatuses.FailedPrecondition or GeminiErrorStatuses.OutOfRange
                or GeminiErrorStatuses.AlreadyExists => ChatErrorKind.InvalidRequest,
            GeminiErrorStatuses.Unauthenticated => ChatErrorKind.Authentication,
            GeminiErrorStatuses.PermissionDenied => ChatErrorKind.PermissionDenied,
            GeminiErrorStatuses.NotFound => ChatErrorKind.NotFound,
            GeminiErrorStatuses.ResourceExhausted => ChatErrorKind.RateLimited,
            GeminiErrorStatuses.Unavailable => ChatErrorKind.Overloaded,
            GeminiErrorStatuses.DeadlineExceeded => ChatErrorKind.Timeout,
            GeminiErrorStatuses.Internal or GeminiErrorStatuses.Unknown or GeminiErrorStatuses.DataLoss
                or GeminiErrorStatuses.Unimplemented or GeminiErrorStatuses.Aborted or GeminiErrorStatuses.Cancelled => ChatErrorKind.Server,
            _ => ChatErrorKinds.FromStatus(httpStatus),
        };
    }

    /// <summary>
    /// The google.rpc code for <paramref name="error"/>: Gemini's own when it came from Gemini, else its kind's (a
    /// content refusal and any other invalid request: <c>INVALID_ARGUMENT</c>).
    /// </summary>
    private static string StatusOf(ChatError error)
    {
        if (error.UpstreamCode is { Length: > 0 } code && IsCanonicalCode(code))
        {
            return code;
        }

        return error.Kind switch
        {
            ChatErrorKind.Authentication => GeminiErrorStatuses.Unauthenticated,
            ChatErrorKind.PermissionDenied => GeminiErrorStatuses.PermissionDenied,
            ChatErrorKind.NotFound => GeminiErrorStatuses.NotFound,
            ChatErrorKind.RateLimited or ChatErrorKind.Billing => GeminiErrorStatuses.ResourceExhausted,
            ChatErrorKind.Server or ChatErrorKind.UpstreamFailed => GeminiErrorStatuses.Internal,
            ChatErrorKind.Timeout => GeminiErrorStatuses.DeadlineExceeded,
            ChatErrorKind.Overloaded => GeminiErrorStatuses.Unavailable,
            _ => GeminiErrorStatuses.InvalidArgument,
        };
    }

    private static bool IsCanonicalCode(string code) => code is GeminiErrorStatuses.InvalidArgument
        or GeminiErrorStatuses.FailedPrecondition or GeminiErrorStatuses.OutOfRange or GeminiErrorStatuses.Unauthenticated
        or GeminiErrorStatuses.PermissionDenied or GeminiErrorStatuses.NotFound or GeminiErrorStatuses.AlreadyExists
        or GeminiErrorStatuses.ResourceExhausted or GeminiErrorStatuses.Cancelled or GeminiErrorStatuses.DataLoss
        or GeminiErrorStatuses.Unknown or GeminiErrorStatuses.Internal or GeminiErrorStatuses.Unimplemented
        or GeminiErrorStatuses.Unavailable or GeminiErrorStatuses.DeadlineExceeded or GeminiErrorStatuses.Aborted;
}
