namespace Spillway.Core.Providers.RateLimits;

/// <summary>When a per-day quota starts over, for providers that do not say so themselves (src/Spillway.Core/README.md, "When a tapped-out key comes back").</summary>
public static class DailyReset
{
    private static readonly Lazy<TimeZoneInfo> Pacific = new(PacificTimeZone.Load);

    /// <summary>The first reset strictly after <paramref name="now"/>, as a UTC instant.</summary>
    /// <remarks>
    /// Pacific midnight is computed in America/Los_Angeles with daylight saving: 07:00 UTC in summer, 08:00 UTC in
    /// winter. Midnight is never inside a US DST transition (they happen at 02:00), so it is always a valid,
    /// unambiguous local time.
    /// </remarks>
    public static DateTimeOffset Next(DailyResetRule rule, DateTimeOffset now) => rule switch
    {
        DailyResetRule.UtcMidnight => NextUtcMidnight(now),
        DailyResetRule.PacificMidnight => NextMidnightIn(Pacific.Value, now),
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, null),
    };

    internal static DateTimeOffset NextMidnightIn(TimeZoneInfo zone, DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var nextLocalMidnight = DateTime.SpecifyKind(local.Date.AddDays(1), DateTimeKind.Unspecified);
        var utc = TimeZoneInfo.ConvertTimeToUtc(nextLocalMidnight, zone);
        return new DateTimeOffset(utc, TimeSpan.Zero);
    }

    private static DateTimeOffset NextUtcMidnight(DateTimeOffset now) =>
        new(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
}
