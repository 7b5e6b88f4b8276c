using System.Globalization;
using System.Text.Json;

namespace Spillway.Simulator;

/// <summary>
/// OpenRouter's error answers: <c>{"error":{"message","code":&lt;int&gt;,"metadata"?}}</c>. The free-model 429
/// bodies follow fixtures/openrouter-error-samples.json (metadata.headers with X-RateLimit-*), the same values
/// go out as HTTP headers, and there is no Retry-After: OpenRouter does not send one for its free tier
/// (hydropix/TranslateBooksWithLLMs#125); <c>X-RateLimit-Reset</c> is epoch milliseconds. Missing key:
/// musistudio/claude-code-router#227; bad key "User not found.": BeehiveInnovations/pal-mcp-server#209. The
/// 500/503/404/400 texts were not found in recorded traffic; the 503 uses the documented
/// <c>metadata.error_type</c>.
/// </summary>
internal static class OpenRouterErrors
{
    public const int ContextWindow = 131_072;

    public static SimulatedReply Build(in ErrorFacts facts)
    {
        switch (facts.Kind)
        {
            case ErrorKind.RateLimitedPerMinute:
                return FreeModelsCap(facts, "Rate limit exceeded: free-models-per-min.");

            case ErrorKind.UpstreamRateLimited:
                // The documented upstream-provider shape (fixtures/openrouter-error-samples.json): no rate-limit headers.
                return SimulatedReply.Json(429, JsonBody.ErrorEnvelope(writer =>
                {
                    writer.WriteNumber("code", 429);
                    writer.WriteString("message", "Rate limit exceeded");
                    writer.WriteStartObject("metadata");
                    writer.WriteString("error_type", "rate_limit_exceeded");
                    writer.WriteString("provider_code", "rate_limited");
                    writer.WriteEndObject();
                }));

            case ErrorKind.QuotaPerDay:
            case ErrorKind.QuotaExhausted:
                return FreeModelsCap(facts, "Rate limit exceeded: free-models-per-day. Add 10 credits to unlock 1000 free model requests per day");

            case ErrorKind.MissingApiKey:
                return SimulatedReply.Json(401, Envelope("No auth credentials found", 401, errorType: null));

            case ErrorKind.InvalidApiKey:
                return SimulatedReply.Json(401, Envelope("User not found.", 401, errorType: null));

            case ErrorKind.ServerError:
                return SimulatedReply.Json(500, Envelope("Internal Server Error", 500, errorType: "server"));

            case ErrorKind.Overloaded:
                return SimulatedReply.Json(503, Envelope("Provider returned error: overloaded", 503, errorType: "provider_overloaded"));

            case ErrorKind.ContextLengthExceeded:
                return SimulatedReply.Json(400, Envelope(
                    $"This endpoint's maximum context length is {ContextWindow} tokens. However, you requested about {ContextWindow + facts.PromptTokens} tokens. Please reduce the length of the messages.",
                    400,
                    errorType: "context_length_exceeded"));

            case ErrorKind.ModelNotFound:
                return SimulatedReply.Json(404, Envelope($"No endpoints found for {facts.Model}.", 404, errorType: null));

            default:
                return SimulatedReply.Json(400, Envelope(OpenAIErrors.Validation(facts.Kind).Message, 400, errorType: "invalid_request"));
        }
    }

    /// <summary>
    /// The mid-stream error chunk from the OpenRouter docs (fixtures/openrouter-error-samples.json): status 200
    /// is already sent, so the error travels inside a chunk with <c>finish_reason:"error"</c>.
    /// </summary>
    public static void WriteStreamErrorChunk(Utf8JsonWriter writer, string id, long created, string model, string provider)
    {
        writer.WriteStartObject();
        writer.WriteString("id", id);
        writer.WriteString("object", "chat.completion.chunk");
        writer.WriteNumber("created", created);
        writer.WriteString("model", model);
        writer.WriteString("provider", provider);
        writer.WriteStartObject("error");
        writer.WriteNumber("code", 429);
        writer.WriteString("message", "Rate limit exceeded");
        writer.WriteStartObject("metadata");
        writer.WriteString("error_type", "rate_limit_exceeded");
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteStartArray("choices");
        writer.WriteStartObject();
        writer.WriteNumber("index", 0);
        writer.WriteStartObject("delta");
        writer.WriteString("content", string.Empty);
        writer.WriteEndObject();
        writer.WriteString("finish_reason", "error");
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static SimulatedReply FreeModelsCap(in ErrorFacts facts, string message)
    {
        var limit = facts.Limit.ToString(CultureInfo.InvariantCulture);
        var reset = (facts.Now + facts.RetryAfter).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var body = JsonBody.ErrorEnvelope(writer =>
        {
            writer.WriteString("message", message);
            writer.WriteNumber("code", 429);
            writer.WriteStartObject("metadata");
            writer.WriteStartObject("headers");
            writer.WriteString("X-RateLimit-Limit", limit);
            writer.WriteString("X-RateLimit-Remaining", "0");
            writer.WriteString("X-RateLimit-Reset", reset);
            writer.WriteEndObject();
            writer.WriteEndObject();
        });

        return SimulatedReply.Json(
            429,
            body,
            new KeyValuePair<string, string>("X-RateLimit-Limit", limit),
            new KeyValuePair<string, string>("X-RateLimit-Remaining", "0"),
            new KeyValuePair<string, string>("X-RateLimit-Reset", reset));
    }

    private static byte[] Envelope(string message, int code, string? errorType) => JsonBody.ErrorEnvelope(writer =>
    {
        writer.WriteString("message", message);
        writer.WriteNumber("code", code);
        if (errorType is not null)
        {
            writer.WriteStartObject("metadata");
            writer.WriteString("error_type", errorType);
            writer.WriteEndObject();
        }
    });
}
