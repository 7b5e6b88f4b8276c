using System.Globalization;

namespace Spillway.Simulator;

/// <summary>
/// Anthropic's <c>anthropic-ratelimit-*</c> headers, with the names and the nominal limits of
/// fixtures/anthropic-messages-200-with-ratelimit-headers.txt. Resets are RFC 3339 instants (not durations)
/// and token "remaining" values are rounded to the nearest thousand, as the real API sends them.
/// </summary>
internal static class AnthropicRateLimitHeaders
{
    public const int NominalRequestsPerMinute = 1_000;
    public const int NominalInputTokensPerMinute = 80_000;
    public const int NominalOutputTokensPerMinute = 16_000;
    public const int NominalTokensPerMinute = 96_000;

    public static void Add(List<KeyValuePair<string, string>> headers, QuotaLimits limits, QuotaSnapshot usage, QuotaWindow? exhausted)
    {
        // The snapshot carries the time left until midnight and midnight itself, hence the instant it was taken.
        var now = usage.NextMidnight - usage.DayReset;
        var minuteReset = now + usage.MinuteReset;

        // Anthropic limits requests per minute only; a used-up simulated daily cap is shown on the same
        // headers, at zero until the UTC midnight that refills it.
        int limit;
        int remaining;
        DateTimeOffset reset;
        if (exhausted == QuotaWindow.PerDay && limits.RequestsPerDay is { } perDay)
        {
            (limit, remaining, reset) = (perDay, 0, usage.NextMidnight);
        }
        else
        {
            limit = limits.RequestsPerMinute ?? NominalRequestsPerMinute;
            remaining = exhausted == QuotaWindow.PerMinute ? 0 : Math.Max(0, limit - usage.MinuteRequests);
            reset = minuteReset;
        }

        // The simulator counts tokens as a whole; input and output share the same used-up minute total.
        AddWindow(headers, "input-tokens", NominalInputTokensPerMinute, Thousands(NominalInputTokensPerMinute - usage.MinuteTokens), minuteReset);
        AddWindow(headers, "output-tokens", NominalOutputTokensPerMinute, Thousands(NominalOutputTokensPerMinute - usage.MinuteTokens), minuteReset);
        AddWindow(headers, "requests", limit, remaining, reset);
        AddWindow(headers, "tokens", NominalTokensPerMinute, Thousands(NominalTokensPerMinute - usage.MinuteTokens), minuteReset);
    }

    /// <summary><c>2025-08-21T12:40:59Z</c>: whole seconds, rounded up so a client never retries early.</summary>
    public static string Rfc3339(DateTimeOffset instant)
    {
        var utc = instant.ToUniversalTime();
        var whole = new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        if (whole < utc)
        {
            whole = whole.AddSeconds(1);
        }

        return whole.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    private static int Thousands(int value) => Math.Max(0, (int)Math.Round(value / 1000.0, MidpointRounding.AwayFromZero) * 1000);

    private static void AddWindow(List<KeyValuePair<string, string>> headers, string name, int limit, int remaining, DateTimeOffset reset)
    {
        headers.Add(new($"anthropic-ratelimit-{name}-limit", limit.ToString(CultureInfo.InvariantCulture)));
        headers.Add(new($"anthropic-ratelimit-{name}-remaining", remaining.ToString(CultureInfo.InvariantCulture)));
        headers.Add(new($"anthropic-ratelimit-{name}-reset", Rfc3339(reset)));
    }
}
