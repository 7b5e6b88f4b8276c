namespace Spillway.Simulator;

/// <summary>
/// Groq's error answers: the OpenAI envelope, usually without <c>param</c>. 429 texts follow
/// fixtures/groq-429-samples.json; invalid key from ag5826000/resume-commentor#4; context length (with
/// <c>param</c>) from letta-ai/letta#1963. The 500/503 texts were not found in recorded traffic and follow
/// the same envelope.
/// </summary>
internal static class GroqErrors
{
    public const string Organization = "org_spillwaysimulator";

    public static SimulatedReply Build(in ErrorFacts facts)
    {
        switch (facts.Kind)
        {
            case ErrorKind.RateLimitedPerMinute:
            case ErrorKind.QuotaPerDay:
            case ErrorKind.QuotaExhausted:
                {
                    var window = facts.Kind == ErrorKind.RateLimitedPerMinute
                        ? "requests per minute (RPM)"
                        : "requests per day (RPD)";
                    var message = $"Rate limit reached for model `{facts.Model}` in organization `{Organization}` service tier `on_demand` on {window}: " +
                        $"Limit {facts.Limit}, Used {facts.Limit}, Requested 1. Please try again in {Durations.Go(facts.RetryAfter)}. " +
                        "Need more tokens? Upgrade to Dev Tier today at https://console.groq.com/settings/billing";
                    var headers = RateLimitHeaders.For(SimulatorStyle.Groq, facts.Limits, facts.Usage, 0, OpenAIErrors.WindowOf(facts.Kind));

                    // Groq sends retry-after (seconds) only on 429s.
                    headers.Add(new("retry-after", Durations.RetryAfter(facts.RetryAfter)));
                    return SimulatedReply.Json(429, Envelope(message, "requests", null, "rate_limit_exceeded"), headers);
                }

            case ErrorKind.MissingApiKey:
            case ErrorKind.InvalidApiKey:
                return SimulatedReply.Json(401, Envelope("Invalid API Key", "invalid_request_error", null, "invalid_api_key"));

            case ErrorKind.ServerError:
                return SimulatedReply.Json(500, Envelope("Internal Server Error", "internal_server_error", null, null));

            case ErrorKind.Overloaded:
                return SimulatedReply.Json(503, Envelope("Service Unavailable", "internal_server_error", null, null));

            case ErrorKind.ContextLengthExceeded:
                return SimulatedReply.Json(400, Envelope(
                    "Please reduce the length of the messages or completion.", "invalid_request_error", "messages", "context_length_exceeded"));

            case ErrorKind.ModelNotFound:
                return SimulatedReply.Json(404, Envelope(
                    $"The model `{facts.Model}` does not exist or you do not have access to it.", "invalid_request_error", null, "model_not_found"));

            default:
                {
                    var (message, param, code) = OpenAIErrors.Validation(facts.Kind);
                    return SimulatedReply.Json(400, Envelope(message, "invalid_request_error", param, code));
                }
        }
    }

    private static byte[] Envelope(string message, string type, string? param, string? code) =>
        JsonBody.ErrorEnvelope(writer =>
        {
            writer.WriteString("message", message);
            writer.WriteString("type", type);
            if (param is not null)
            {
                writer.WriteString("param", param);
            }

            if (code is not null)
            {
                writer.WriteString("code", code);
            }
        });
}
