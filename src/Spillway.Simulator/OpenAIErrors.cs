namespace Spillway.Simulator;

/// <summary>
/// OpenAI's error answers: <c>{"error":{"message","type","param","code"}}</c> (all four keys, as the spec
/// requires). Texts are the real ones: 429 bodies from fixtures/openai-429-samples.json, the others as quoted
/// in public issues (invalid key: chatanywhere/GPT_API_free#427; overloaded 503: ikechan8370/chatgpt-plugin#125;
/// context length: ChatGPTNextWeb/NextChat#2358).
/// </summary>
internal static class OpenAIErrors
{
    /// <summary>Organisation name quoted in 429 messages; it says what answered.</summary>
    public const string Organization = "org-spillwaysimulator";

    public const int ContextWindow = 128_000;

    public static SimulatedReply Build(in ErrorFacts facts)
    {
        switch (facts.Kind)
        {
            case ErrorKind.RateLimitedPerMinute:
            case ErrorKind.QuotaPerDay:
                {
                    var window = facts.Kind == ErrorKind.QuotaPerDay ? "requests per day (RPD)" : "requests per min (RPM)";
                    var message = $"Rate limit reached for {facts.Model} in organization {Organization} on {window}: " +
                        $"Limit {facts.Limit}, Used {facts.Limit}, Requested 1. Please try again in {Durations.Go(facts.RetryAfter)}. " +
                        "Visit https://platform.openai.com/account/rate-limits to learn more.";
                    var headers = RateLimitHeaders.For(SimulatorStyle.OpenAI, facts.Limits, facts.Usage, 0, WindowOf(facts.Kind));
                    headers.Add(new("retry-after", Durations.RetryAfter(facts.RetryAfter)));
                    return SimulatedReply.Json(429, Envelope(message, "requests", null, "rate_limit_exceeded"), headers);
                }

            case ErrorKind.QuotaExhausted:
                // Billing exhaustion needs user action, so OpenAI sends no Retry-After (spec: "may be omitted").
                return SimulatedReply.Json(429, Envelope(
                    "You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.",
                    "insufficient_quota",
                    null,
                    "insufficient_quota"));

            case ErrorKind.MissingApiKey:
                return SimulatedReply.Json(401, Envelope(
                    "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
                    "invalid_request_error",
                    null,
                    null));

            case ErrorKind.InvalidApiKey:
                return SimulatedReply.Json(401, Envelope(
                    $"Incorrect API key provided: {facts.MaskedKey}. You can find your API key at https://platform.openai.com/account/api-keys.",
                    "invalid_request_error",
                    null,
                    "invalid_api_key"));

            case ErrorKind.ServerError:
                return SimulatedReply.Json(500, Envelope(
                    facts.Message ?? "The server had an error while processing your request. Sorry about that!", "server_error", null, null));

            case ErrorKind.Overloaded:
                return SimulatedReply.Json(503, Envelope(
                    "That model is currently overloaded with other requests. You can retry your request, or contact us through our help center at help.openai.com if the error persists.",
                    "server_error",
                    null,
                    null));

            case ErrorKind.ContextLengthExceeded:
                return SimulatedReply.Json(400, Envelope(
                    $"This model's maximum context length is {ContextWindow} tokens. However, your messages resulted in {ContextWindow + facts.PromptTokens} tokens. Please reduce the length of the messages.",
                    "invalid_request_error",
                    "messages",
                    "context_length_exceeded"));

            case ErrorKind.ModelNotFound:
                return SimulatedReply.Json(404, Envelope(
                    $"The model `{facts.Model}` does not exist or you do not have access to it.",
                    "invalid_request_error",
                    null,
                    "model_not_found"));

            default:
                {
                    var (message, param, code) = Validation(facts.Kind);
                    return SimulatedReply.Json(400, Envelope(message, "invalid_request_error", param, code));
                }
        }
    }

    /// <summary>OpenAI's wording for a body it rejects, shared with the OpenAI-envelope styles.</summary>
    public static (string Message, string? Param, string? Code) Validation(ErrorKind kind) => kind switch
    {
        ErrorKind.MissingModel => ("you must provide a model parameter", null, null),
        ErrorKind.InvalidModelType => ("Invalid type for 'model': expected a string.", "model", "invalid_type"),
        ErrorKind.MissingMessages => ("Missing required parameter: 'messages'.", "messages", "missing_required_parameter"),
        ErrorKind.MissingInput => ("Missing required parameter: 'input'.", "input", "missing_required_parameter"),
        ErrorKind.InvalidMessagesType => ("Invalid type for 'messages': expected an array of objects.", "messages", "invalid_type"),
        ErrorKind.EmptyMessages => ("Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", "messages", "empty_array"),
        ErrorKind.InvalidInput => ("'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", "input", null),
        ErrorKind.PrefillRefused => ("This model does not support assistant message prefill. The conversation must end with a user message.", "messages", "invalid_value"),
        _ => ("We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)", null, null),
    };

    public static QuotaWindow WindowOf(ErrorKind kind) =>
        kind == ErrorKind.RateLimitedPerMinute ? QuotaWindow.PerMinute : QuotaWindow.PerDay;

    private static byte[] Envelope(string message, string type, string? param, string? code) =>
        JsonBody.ErrorEnvelope(writer =>
        {
            writer.WriteString("message", message);
            writer.WriteString("type", type);
            writer.WriteNullableString("param", param);
            writer.WriteNullableString("code", code);
        });
}
