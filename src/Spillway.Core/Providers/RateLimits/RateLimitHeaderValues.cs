using System.Globalization;

namespace Spillway.Core.Providers.RateLimits;

/// <summary>
/// Parsers for the single values of an upstream answer's rate-limit headers (counts, resets). Allocation-free: they
/// run on every upstream answer. (The app's <c>Spillway.Http.HeaderValues</c> does another job: it reads a client's
/// request headers.)
/// </summary>
internal static class RateLimitHeaderValues
{
    // Epoch values above this are milliseconds: 10^11 seconds is the year 5138, 10^11 ms is March 1973.
    private const double EpochMillisThreshold = 1e11;

    // Epoch seconds start here (September 2001); anything smaller is read as "seconds from now".
    private const double EpochSecondsThreshold = 1e9;

    /// <summary>An integer count, tolerating a decimal point ("1000.0"); null when absent or not a number.</summary>
    internal static long? Count(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite | NumberStyles.AllowLeadingSign,
                CultureInfo.InvariantCulture, out var whole))
        {
            return whole;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real)
            && double.IsFinite(real) && Math.Abs(real) < long.MaxValue)
        {
            return (long)real;
        }

        return null;
    }

    /// <summary>A Go duration from now (<c>x-ratelimit-reset-*</c> of OpenAI and Groq).</summary>
    internal static DateTimeOffset? AfterDuration(string? text, DateTimeOffset now) =>
        GoDuration.TryParse(text, out var wait) && wait >= TimeSpan.Zero ? now + wait : null;

    /// <summary>An RFC 3339 timestamp (<c>anthropic-ratelimit-*-reset</c>).</summary>
    internal static DateTimeOffset? Timestamp(string? text) =>
        text is not null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : null;

    /// <summary>
    /// OpenRouter's <c>X-RateLimit-Reset</c>: its format is not documented; third parties report epoch
    /// milliseconds. Epoch milliseconds, epoch seconds, seconds from now, a Go duration and RFC 3339 are all read.
    /// </summary>
    internal static DateTimeOffset? FlexibleReset(string? text, DateTimeOffset now)
    {
        if (text is null)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite | NumberStyles.AllowDecimalPoint,
                CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            if (number >= EpochMillisThreshold)
            {
                return number < 253402300800000d ? DateTimeOffset.UnixEpoch.AddMilliseconds(number) : null;
            }

            return number >= EpochSecondsThreshold
                ? DateTimeOffset.UnixEpoch.AddSeconds(number)
                : now.AddSeconds(number);
        }

        return AfterDuration(text, now) ?? Timestamp(text);
    }
}
