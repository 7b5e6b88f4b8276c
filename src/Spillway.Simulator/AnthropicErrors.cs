using System.Globalization;
using System.Security.Cryptography;

namespace Spillway.Simulator;

/// <summary>
/// Anthropic's error answers: <c>{"type":"error","error":{"type","message"},"request_id":"req_…"}</c> with a
/// <c>request-id</c> header. The 429 and 529 texts are those of fixtures/anthropic-error-samples.json; the
/// used-up-credit answer is the real 400 <c>invalid_request_error</c> "Your credit balance is too low…"
/// (anthropics/claude-code#4684, #66314), not the rarer 402 <c>billing_error</c>, because that 400 is what
/// gateways actually meet and must not mistake for a bad request.
/// </summary>
internal static class AnthropicErrors
{
    /// <summary>Organisation id quoted in 429 messages; it says what answered.</summary>
    public const string Organization = "spillway-simulator";

    /// <summary>The context window quoted in "prompt is too long" messages.</summary>
    public const int ContextWindow = 200_000;

    public static SimulatedReply Build(in ErrorFacts facts)
    {
        switch (facts.Kind)
        {
            case ErrorKind.RateLimitedPerMinute:
            case ErrorKind.QuotaPerDay:
                {
                    var window = facts.Kind == ErrorKind.QuotaPerDay ? "requests per day" : "requests per minute";
                    var limit = facts.Limit.ToString("N0", CultureInfo.InvariantCulture);
                    var message = $"This request would exceed the rate limit for your organization ({Organization}) of {limit} {window}. " +
                        "For details, refer to: https://docs.anthropic.com/en/api/rate-limits. You can see the response headers for current usage. " +
                        "Please reduce the prompt length or the maximum tokens requested, or try again later. You may also contact sales at " +
                        "https://www.anthropic.com/contact-sales to discuss your options for a rate limit increase.";
                    var exhausted = facts.Kind == ErrorKind.QuotaPerDay ? QuotaWindow.PerDay : QuotaWindow.PerMinute;
                    var limits = exhausted == QuotaWindow.PerDay
                        ? facts.Limits with { RequestsPerDay = facts.Limit }
                        : facts.Limits with { RequestsPerMinute = facts.Limit };
                    var headers = RateLimitHeaders.For(SimulatorStyle.Anthropic, limits, facts.Usage, 0, exhausted);
                    headers.Add(new("retry-after", Durations.RetryAfter(facts.RetryAfter)));
                    return Reply(429, "rate_limit_error", message, headers);
                }

            case ErrorKind.QuotaExhausted:
                return Reply(400, "invalid_request_error",
                    "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.");
            case ErrorKind.MissingApiKey:
                return Reply(401, "authentication_error", "x-api-key header is required");
            case ErrorKind.InvalidApiKey:
                return Reply(401, "authentication_error", "invalid x-api-key");
            case ErrorKind.MissingApiVersion:
                return Reply(400, "invalid_request_error", "anthropic-version: header is required");
            case ErrorKind.ServerError:
                return Reply(500, "api_error", "Internal server error");
            case ErrorKind.Overloaded:
                // 529, not 503: Anthropic's own status for a service-wide overload.
                return Reply(529, "overloaded_error", "Overloaded");
            case ErrorKind.ContextLengthExceeded:
                return Reply(400, "invalid_request_error",
                    string.Create(CultureInfo.InvariantCulture, $"prompt is too long: {ContextWindow + facts.PromptTokens} tokens > {ContextWindow} maximum"));
            case ErrorKind.ModelNotFound:
                return Reply(404, "not_found_error", "model: " + facts.Model);
            case ErrorKind.MissingModel:
                return Reply(400, "invalid_request_error", "model: Field required");
            case ErrorKind.InvalidModelType:
                return Reply(400, "invalid_request_error", "model: Input should be a valid string");
            case ErrorKind.MissingMaxTokens:
                return Reply(400, "invalid_request_error", "max_tokens: Field required");
            case ErrorKind.MissingMessages:
                return Reply(400, "invalid_request_error", "messages: Field required");
            case ErrorKind.InvalidMessagesType:
                return Reply(400, "invalid_request_error", "messages: Input should be a valid list");
            case ErrorKind.PrefillRefused:
                return Reply(400, "invalid_request_error",
                    "This model does not support assistant message prefill. The conversation must end with a user message.");
            case ErrorKind.PrefillTrailingWhitespace:
                return Reply(400, "invalid_request_error", "messages: final assistant content cannot end with trailing whitespace");
            case ErrorKind.EmptyMessages:
                return Reply(400, "invalid_request_error", "messages: at least one message is required");
            default:
                return Reply(400, "invalid_request_error", "There was an issue with the format or content of your request.");
        }
    }

    /// <summary>The error body; <paramref name="requestId"/> is left out when null (as in mid-stream error events).</summary>
    public static byte[] Body(string type, string message, string? requestId) => JsonBody.Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("type", "error");
        writer.WriteStartObject("error");
        writer.WriteString("type", type);
        writer.WriteString("message", message);
        writer.WriteEndObject();
        if (requestId is not null)
        {
            writer.WriteString("request_id", requestId);
        }

        writer.WriteEndObject();
    });

    /// <summary>A fresh <c>req_…</c> id, as every Anthropic answer carries one.</summary>
    public static string NewRequestId() => "req_sim" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));

    private static SimulatedReply Reply(int status, string type, string message, List<KeyValuePair<string, string>>? headers = null)
    {
        var requestId = NewRequestId();
        headers ??= [];
        headers.Add(new("request-id", requestId));
        return SimulatedReply.Json(status, Body(type, message, requestId), headers);
    }
}
