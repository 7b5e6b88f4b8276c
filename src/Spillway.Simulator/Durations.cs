using System.Globalization;

namespace Spillway.Simulator;

/// <summary>The duration spellings the providers use in headers and messages.</summary>
internal static class Durations
{
    /// <summary>
    /// Go's <c>time.Duration.String()</c> as seen in <c>x-ratelimit-reset-*</c> headers: <c>12ms</c>,
    /// <c>7.66s</c>, <c>2m59.56s</c>, <c>6m0s</c>, <c>1h2m3s</c> (millisecond precision here).
    /// </summary>
    public static string Go(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            return "0s";
        }

        var milliseconds = (long)Math.Ceiling(duration.TotalMilliseconds);
        if (milliseconds < 1000)
        {
            return milliseconds.ToString(CultureInfo.InvariantCulture) + "ms";
        }

        var hours = milliseconds / 3_600_000;
        var minutes = milliseconds / 60_000 % 60;
        var seconds = milliseconds % 60_000 / 1000m;
        var secondsText = seconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
        if (hours > 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{hours}h{minutes}m{secondsText}");
        }

        return minutes > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{minutes}m{secondsText}")
            : secondsText;
    }

    /// <summary>Whole seconds, rounded up and at least 1, as <c>Retry-After</c> wants them.</summary>
    public static long WholeSeconds(TimeSpan duration) => Math.Max(1, (long)Math.Ceiling(duration.TotalSeconds));

    /// <summary>The whole-seconds text of <see cref="WholeSeconds"/>.</summary>
    public static string RetryAfter(TimeSpan duration) =>
        WholeSeconds(duration).ToString(CultureInfo.InvariantCulture);
}
