using System.Globalization;

namespace Spillway.Simulator;

/// <summary>
/// The rate-limit headers each style sends, with the real header names and value formats. When the provider
/// has no configured quota, the limits shown are nominal values taken from real recordings.
/// </summary>
internal static class RateLimitHeaders
{
    // From fixtures/openai-chat-completion-200-with-ratelimit-headers.txt (x-ratelimit-limit-requests/-tokens).
    public const int OpenAINominalRequestsPerMinute = 5000;
    public const int OpenAINominalTokensPerMinute = 800_000;

    // Groq: 14400 RPD is the documented example in fixtures/groq-429-samples.json; 12000 TPM is the limit in
    // its recorded on_demand 429 for llama-3.3-70b-versatile.
    public const int GroqNominalRequestsPerDay = 14_400;
    public const int GroqNominalTokensPerMinute = 12_000;

    // Mistral free plan values as recorded in response headers (lobehub/lobehub#6825): 500k tokens/minute, 1B tokens/month.
    public const int MistralTokensPerMinute = 500_000;
    public const long MistralTokensPerMonth = 1_000_000_000;

    /// <summary>The headers for an answer of <paramref name="requestTokens"/> tokens, given the key's usage.</summary>
    /// <param name="exhausted">When answering a 429: the window reported as used up.</param>
    public static List<KeyValuePair<string, string>> For(
        SimulatorStyle style,
        QuotaLimits limits,
        QuotaSnapshot usage,
        int requestTokens,
        QuotaWindow? exhausted = null)
    {
        var headers = new List<KeyValuePair<string, string>>();
        switch (style)
        {
            case SimulatorStyle.OpenAI:
            case SimulatorStyle.OpenAIResponses:
                {
                    // OpenAI's request headers describe the per-minute window.
                    var limit = limits.RequestsPerMinute ?? OpenAINominalRequestsPerMinute;
                    var remaining = exhausted == QuotaWindow.PerMinute ? 0 : limit - usage.MinuteRequests;
                    AddOpenAIShape(headers, limit, remaining, usage.MinuteReset, OpenAINominalTokensPerMinute, usage);
                    break;
                }

            case SimulatorStyle.Groq:
                {
                    // Groq's x-ratelimit-*-requests are requests per DAY (RPD); the token ones are per minute.
                    var limit = limits.RequestsPerDay ?? GroqNominalRequestsPerDay;
                    var remaining = exhausted == QuotaWindow.PerDay ? 0 : limit - usage.DayRequests;
                    var reset = usage.DayRequests == 0 ? TimeSpan.Zero : usage.DayReset;
                    AddOpenAIShape(headers, limit, remaining, reset, GroqNominalTokensPerMinute, usage);
                    break;
                }

            case SimulatorStyle.Mistral:
                {
                    // Mistral has no per-day request cap; a used-up daily quota is reported the way Mistral
                    // reports a used-up plan: the monthly token budget at zero.
                    var monthRemaining = exhausted == QuotaWindow.PerDay ? 0 : MistralTokensPerMonth - usage.MonthTokens;
                    Add(headers, "x-ratelimit-limit-tokens-minute", MistralTokensPerMinute);
                    Add(headers, "x-ratelimit-remaining-tokens-minute", Math.Max(0, MistralTokensPerMinute - usage.MinuteTokens));
                    Add(headers, "x-ratelimit-limit-tokens-month", MistralTokensPerMonth);
                    Add(headers, "x-ratelimit-remaining-tokens-month", Math.Max(0, monthRemaining));
                    Add(headers, "x-ratelimit-tokens-query-cost", requestTokens);
                    break;
                }

            case SimulatorStyle.Anthropic:
                AnthropicRateLimitHeaders.Add(headers, limits, usage, exhausted);
                break;

            case SimulatorStyle.OpenRouter:
            case SimulatorStyle.GeminiOpenAICompat:
            case SimulatorStyle.GeminiNative:
            default:
                // OpenRouter sends X-RateLimit-* only on its 429s; Gemini documents no rate-limit headers.
                break;
        }

        return headers;
    }

    private static void AddOpenAIShape(
        List<KeyValuePair<string, string>> headers,
        int requestLimit,
        long requestsRemaining,
        TimeSpan requestsReset,
        int tokenLimit,
        QuotaSnapshot usage)
    {
        Add(headers, "x-ratelimit-limit-requests", requestLimit);
        Add(headers, "x-ratelimit-limit-tokens", tokenLimit);
        Add(headers, "x-ratelimit-remaining-requests", Math.Max(0, requestsRemaining));
        Add(headers, "x-ratelimit-remaining-tokens", Math.Max(0, tokenLimit - usage.MinuteTokens));
        headers.Add(new("x-ratelimit-reset-requests", Durations.Go(requestsReset)));
        headers.Add(new("x-ratelimit-reset-tokens", Durations.Go(usage.MinuteReset)));
    }

    private static void Add(List<KeyValuePair<string, string>> headers, string name, long value) =>
        headers.Add(new(name, value.ToString(CultureInfo.InvariantCulture)));
}
