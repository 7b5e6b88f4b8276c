namespace Spillway.Core.Providers.RateLimits;

/// <summary>
/// Parses durations written the way Go's <c>time.Duration.String()</c> prints them, which is what OpenAI and Groq
/// put in <c>x-ratelimit-reset-*</c> (<c>2m59.56s</c>, <c>172.799999ms</c>, <c>6m0s</c>) and in their messages
/// ("Please try again in 9m38.016s"). Protobuf durations (<c>26s</c>, <c>47.434392449s</c>, Gemini's
/// <c>RetryInfo.retryDelay</c>) are a subset of the same grammar.
/// </summary>
/// <remarks>
/// Grammar as Go's <c>time.ParseDuration</c>: an optional sign, then one or more decimal numbers each with a unit
/// (<c>ns</c>, <c>us</c>, <c>µs</c>, <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c>); a lone <c>0</c> is allowed. Arithmetic is
/// in whole nanoseconds, like Go's, so long fractions do not pick up floating-point noise in the integer part; the
/// result is truncated to the 100 ns tick of <see cref="TimeSpan"/>.
/// </remarks>
public static class GoDuration
{
    private const long NanosPerTick = 100;

    /// <summary>Parses a Go or protobuf duration; false for anything else (including a bare number).</summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        if (text is null)
        {
            duration = default;
            return false;
        }

        return TryParse(text.AsSpan(), out duration);
    }

    /// <summary>Parses a Go or protobuf duration; false for anything else (including a bare number).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out TimeSpan duration)
    {
        duration = default;
        text = text.Trim();
        if (text.IsEmpty)
        {
            return false;
        }

        var negative = false;
        if (text[0] is '-' or '+')
        {
            negative = text[0] == '-';
            text = text[1..];
        }

        if (text is "0")
        {
            return true;
        }

        if (text.IsEmpty)
        {
            return false;
        }

        long totalNanos = 0;
        while (!text.IsEmpty)
        {
            if (!TryReadComponent(ref text, out var nanos))
            {
                return false;
            }

            totalNanos += nanos;
            if (totalNanos < 0)
            {
                return false; // overflowed past ~292 years, which no reset hint means
            }
        }

        var ticks = totalNanos / NanosPerTick;
        duration = TimeSpan.FromTicks(negative ? -ticks : ticks);
        return true;
    }

    private static bool TryReadComponent(ref ReadOnlySpan<char> text, out long nanos)
    {
        nanos = 0;
        var i = 0;
        long whole = 0;
        var hasDigits = false;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            if (whole > (long.MaxValue - 9) / 10)
            {
                return false;
            }

            whole = (whole * 10) + (text[i] - '0');
            hasDigits = true;
            i++;
        }

        long fraction = 0;
        double fractionScale = 1;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                // Digits beyond 18 cannot change a nanosecond count; drop them like Go does.
                if (fractionScale < 1e18)
                {
                    fraction = (fraction * 10) + (text[i] - '0');
                    fractionScale *= 10;
                }

                hasDigits = true;
                i++;
            }
        }

        if (!hasDigits)
        {
            return false;
        }

        var unitStart = i;
        while (i < text.Length && text[i] != '.' && !char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        var unit = UnitNanos(text[unitStart..i]);
        if (unit == 0 || whole > long.MaxValue / unit)
        {
            return false;
        }

        nanos = (whole * unit) + (long)(fraction * ((double)unit / fractionScale));
        text = text[i..];
        return nanos >= 0;
    }

    private static long UnitNanos(ReadOnlySpan<char> unit) => unit switch
    {
        "ns" => 1,
        "us" or "\u00B5s" or "\u03BCs" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        _ => 0,
    };
}
