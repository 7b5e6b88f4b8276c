using System.Globalization;

namespace Spillway.Core.Providers.RateLimits;

/// <summary>
/// Reads the standard "come back later" headers the way the official OpenAI and Anthropic SDKs do:
/// <c>retry-after-ms</c> (float milliseconds, non-standard) first, then <c>retry-after</c> as seconds (a fraction
/// allowed), then <c>retry-after</c> as an HTTP-date.
/// </summary>
public static class RetryHints
{
    /// <summary>When the upstream says to try again; null when it says nothing usable.</summary>
    /// <remarks>A date already past, or a zero wait, means "now": the upstream stated the limit is over.</remarks>
    public static DateTimeOffset? ReadRetryAt(UpstreamHeaders headers, DateTimeOffset now)
    {
        if (TryReadNonNegative(headers.Get("retry-after-ms"), out var millis))
        {
            return now + SafeFromMilliseconds(millis);
        }

        var retryAfter = headers.Get("retry-after");
        if (retryAfter is null)
        {
            return null;
        }

        if (TryReadNonNegative(retryAfter, out var seconds))
        {
            return now + SafeFromMilliseconds(seconds * 1000);
        }

        // RFC 9110 IMF-fixdate ("Wed, 21 Oct 2015 07:28:00 GMT"); the "r" pattern is exactly that.
        if (DateTimeOffset.TryParseExact(retryAfter.Trim(), "r", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date))
        {
            return date > now ? date : now;
        }

        return null;
    }

    /// <summary>Parses a finite, non-negative decimal number (invariant culture).</summary>
    internal static bool TryReadNonNegative(string? text, out double value)
    {
        if (text is not null
            && double.TryParse(text, NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite | NumberStyles.AllowDecimalPoint,
                CultureInfo.InvariantCulture, out value)
            && double.IsFinite(value))
        {
            return true;
        }

        value = 0;
        return false;
    }

    // A wait of years is nonsense from any upstream; cap it so that adding it to a date cannot throw.
    private static TimeSpan SafeFromMilliseconds(double millis) =>
        TimeSpan.FromMilliseconds(Math.Min(millis, TimeSpan.FromDays(366).TotalMilliseconds));
}
