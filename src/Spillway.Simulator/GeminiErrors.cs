using System.Globalization;
using System.Text.Json;

namespace Spillway.Simulator;

/// <summary>
/// Gemini's google.rpc.Status errors <c>{"error":{"code","message","status","details"?}}</c>. The native API
/// sends the object itself; the OpenAI-compatible endpoint wraps it in a JSON ARRAY
/// (n4ze3m/page-assist#406; the bad-key answer in the same array form: continuedev/continue#8516). The 429 details (QuotaFailure with the free-tier quotaIds,
/// Help, RetryInfo) and the message lines follow fixtures/gemini-429-resource-exhausted-samples.json; 503
/// UNAVAILABLE "The model is overloaded…" and 404 NOT_FOUND texts are the real ones from public issues.
/// </summary>
internal static class GeminiErrors
{
    private const string QuotaMessage =
        "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits. To monitor your current usage, head to: https://ai.dev/usage?tab=rate-limit. ";

    private const string RequestsMetric = "generativelanguage.googleapis.com/generate_content_free_tier_requests";

    /// <param name="facts">What to say.</param>
    /// <param name="asArray">True for the OpenAI-compatible endpoint's array form.</param>
    public static SimulatedReply Build(in ErrorFacts facts, bool asArray)
    {
        var model = facts.Model;
        switch (facts.Kind)
        {
            case ErrorKind.RateLimitedPerMinute:
                return QuotaFailure(asArray, facts, "GenerateRequestsPerMinutePerProjectPerModel-FreeTier", facts.RetryAfter);

            case ErrorKind.QuotaPerDay:
            case ErrorKind.QuotaExhausted:
                {
                    // Real daily-cap answers carry a short RetryInfo too (47s in the python-genai#2044 sample);
                    // it does not mean the daily cap resets then, which is the trap a gateway must not fall into.
                    var second = facts.Now.Second + (facts.Now.Millisecond > 0 ? 1 : 0);
                    var shortDelay = TimeSpan.FromSeconds(Math.Max(1, 60 - second));
                    return QuotaFailure(asArray, facts, "GenerateRequestsPerDayPerProjectPerModel-FreeTier", shortDelay);
                }

            case ErrorKind.MissingApiKey:
                return Status(asArray, 403, "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.", "PERMISSION_DENIED");

            case ErrorKind.InvalidApiKey:
                return Status(asArray, 400, "API key not valid. Please pass a valid API key.", "INVALID_ARGUMENT", writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteString("@type", "type.googleapis.com/google.rpc.ErrorInfo");
                    writer.WriteString("reason", "API_KEY_INVALID");
                    writer.WriteString("domain", "googleapis.com");
                    writer.WriteStartObject("metadata");
                    writer.WriteString("service", "generativelanguage.googleapis.com");
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                });

            case ErrorKind.ServerError:
                return Status(asArray, 500, "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting", "INTERNAL");

            case ErrorKind.Overloaded:
                return Status(asArray, 503, "The model is overloaded. Please try again later.", "UNAVAILABLE");

            case ErrorKind.ContextLengthExceeded:
                return Status(asArray, 400, $"The input token count ({1_048_576 + facts.PromptTokens}) exceeds the maximum number of tokens allowed (1048576).", "INVALID_ARGUMENT");

            case ErrorKind.ModelNotFound:
                return Status(asArray, 404, $"models/{model} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.", "NOT_FOUND");

            case ErrorKind.InvalidJson:
                return Status(asArray, 400, "Invalid JSON payload received.", "INVALID_ARGUMENT");

            default:
                return Status(asArray, 400, "Request contains an invalid argument.", "INVALID_ARGUMENT");
        }
    }

    private static SimulatedReply QuotaFailure(bool asArray, ErrorFacts facts, string quotaId, TimeSpan retryDelay)
    {
        var limit = facts.Limit.ToString(CultureInfo.InvariantCulture);
        var seconds = Durations.WholeSeconds(retryDelay).ToString(CultureInfo.InvariantCulture);
        var message = QuotaMessage +
            $"\n* Quota exceeded for metric: {RequestsMetric}, limit: {limit}, model: {facts.Model}\nPlease retry in {seconds}s.";
        return Status(
            asArray,
            429,
            message,
            "RESOURCE_EXHAUSTED",
            writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("@type", "type.googleapis.com/google.rpc.QuotaFailure");
                writer.WriteStartArray("violations");
                writer.WriteStartObject();
                writer.WriteString("quotaMetric", RequestsMetric);
                writer.WriteString("quotaId", quotaId);
                writer.WriteStartObject("quotaDimensions");
                writer.WriteString("location", "global");
                writer.WriteString("model", facts.Model);
                writer.WriteEndObject();
                writer.WriteString("quotaValue", limit);
                writer.WriteEndObject();
                writer.WriteEndArray();
                writer.WriteEndObject();
            },
            writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("@type", "type.googleapis.com/google.rpc.Help");
                writer.WriteStartArray("links");
                writer.WriteStartObject();
                writer.WriteString("description", "Learn more about Gemini API quotas");
                writer.WriteString("url", "https://ai.google.dev/gemini-api/docs/rate-limits");
                writer.WriteEndObject();
                writer.WriteEndArray();
                writer.WriteEndObject();
            },
            writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("@type", "type.googleapis.com/google.rpc.RetryInfo");
                writer.WriteString("retryDelay", seconds + "s");
                writer.WriteEndObject();
            });
    }

    private static SimulatedReply Status(bool asArray, int code, string message, string status, params Action<Utf8JsonWriter>[] details)
    {
        var body = JsonBody.Write(writer =>
        {
            if (asArray)
            {
                writer.WriteStartArray();
            }

            writer.WriteStartObject();
            writer.WriteStartObject("error");
            writer.WriteNumber("code", code);
            writer.WriteString("message", message);
            writer.WriteString("status", status);
            if (details.Length > 0)
            {
                writer.WriteStartArray("details");
                foreach (var detail in details)
                {
                    detail(writer);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
            if (asArray)
            {
                writer.WriteEndArray();
            }
        });

        return SimulatedReply.Json(code, body);
    }
}
