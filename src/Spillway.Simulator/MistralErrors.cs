using System.Security.Cryptography;

namespace Spillway.Simulator;

/// <summary>
/// Mistral's error answers, which come in several real shapes: the bare gateway
/// <c>{"message":"Requests rate limit exceeded"}</c> and the typed <c>{"object":"error",…,"code":"1300"}</c>
/// (fixtures/mistral-429-samples.json), <c>{"message":"Unauthorized","request_id":…}</c> for a bad key
/// (cline/cline#1734; "No API key found in request": janhq/jan#2672), 400 <c>invalid_model</c> code 1500 for an
/// unknown model (mistralai/mistral-vibe#617), the capacity message of continuedev/continue#6185 and
/// FastAPI-style 422 <c>{"detail":[…]}</c> for schema errors (Gitlawb/openclaude#739). The 500 text and the
/// context-length text were not found in recorded traffic and follow the typed shape.
/// </summary>
internal static class MistralErrors
{
    public static SimulatedReply Build(in ErrorFacts facts)
    {
        switch (facts.Kind)
        {
            case ErrorKind.RateLimitedPerMinute:
                return SimulatedReply.Json(
                    429,
                    JsonBody.Write(writer =>
                    {
                        writer.WriteStartObject();
                        writer.WriteString("message", "Requests rate limit exceeded");
                        writer.WriteEndObject();
                    }),
                    RateLimitHeadersWithRetry(facts, QuotaWindow.PerMinute));

            case ErrorKind.QuotaPerDay:
            case ErrorKind.QuotaExhausted:
                return SimulatedReply.Json(
                    429,
                    Typed("Rate limit exceeded", "rate_limited", "1300"),
                    RateLimitHeadersWithRetry(facts, QuotaWindow.PerDay));

            case ErrorKind.MissingApiKey:
                return SimulatedReply.Json(401, Gateway("No API key found in request"));

            case ErrorKind.InvalidApiKey:
                return SimulatedReply.Json(401, Gateway("Unauthorized"));

            case ErrorKind.ServerError:
                return SimulatedReply.Json(500, Typed("Internal server error", "internal_server_error", null));

            case ErrorKind.Overloaded:
                // The issue shows the body only; 503 is what the simulator uses for "overloaded" in every style.
                return SimulatedReply.Json(503, Typed("Service tier capacity exceeded for this model.", "invalid_request_error", null));

            case ErrorKind.ContextLengthExceeded:
                return SimulatedReply.Json(400, Typed(
                    $"Prompt contains {OpenAIErrors.ContextWindow + facts.PromptTokens} tokens, too large for model with {OpenAIErrors.ContextWindow} maximum context length",
                    "invalid_request_error",
                    null));

            case ErrorKind.PrefillRefused:
                // What Mistral answers a trailing assistant message without "prefix": true.
                return SimulatedReply.Json(400, Typed(
                    "Expected last role User or Tool (or Assistant with prefix True) for serving but got assistant",
                    "invalid_request_message_order",
                    "3230",
                    rawStatus: 400));

            case ErrorKind.ModelNotFound:
                // Mistral answers an unknown model with 400, not 404.
                return SimulatedReply.Json(400, Typed($"Invalid model: {facts.Model}", "invalid_model", "1500", rawStatus: 400));

            default:
                return SimulatedReply.Json(422, SchemaError(facts.Kind));
        }
    }

    private static List<KeyValuePair<string, string>> RateLimitHeadersWithRetry(in ErrorFacts facts, QuotaWindow window)
    {
        var headers = RateLimitHeaders.For(SimulatorStyle.Mistral, facts.Limits, facts.Usage, 0, window);
        headers.Add(new("retry-after", Durations.RetryAfter(facts.RetryAfter)));
        return headers;
    }

    private static byte[] Typed(string message, string type, string? code, int? rawStatus = null) => JsonBody.Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("object", "error");
        writer.WriteString("message", message);
        writer.WriteString("type", type);
        writer.WriteNull("param");
        writer.WriteNullableString("code", code);
        if (rawStatus is { } status)
        {
            writer.WriteNumber("raw_status_code", status);
        }

        writer.WriteEndObject();
    });

    private static byte[] Gateway(string message) => JsonBody.Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("message", message);
        writer.WriteString("request_id", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        writer.WriteEndObject();
    });

    private static byte[] SchemaError(ErrorKind kind) => JsonBody.Write(writer =>
    {
        var (type, field, message) = kind switch
        {
            ErrorKind.MissingModel => ("missing", "model", "Field required"),
            ErrorKind.InvalidModelType => ("string_type", "model", "Input should be a valid string"),
            ErrorKind.MissingMessages => ("missing", "messages", "Field required"),
            ErrorKind.InvalidMessagesType => ("list_type", "messages", "Input should be a valid list"),
            ErrorKind.EmptyMessages => ("too_short", "messages", "List should have at least 1 item after validation, not 0"),
            ErrorKind.MissingInput => ("missing", "input", "Field required"),
            ErrorKind.InvalidInput => ("string_type", "input", "Input should be a valid string"),
            _ => ("json_invalid", null, "JSON decode error"),
        };

        writer.WriteStartObject();
        writer.WriteStartArray("detail");
        writer.WriteStartObject();
        writer.WriteString("type", type);
        writer.WriteStartArray("loc");
        writer.WriteStringValue("body");
        if (field is null)
        {
            writer.WriteNumberValue(0);
        }
        else
        {
            writer.WriteStringValue(field);
        }

        writer.WriteEndArray();
        writer.WriteString("msg", message);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
    });
}
