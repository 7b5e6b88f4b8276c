namespace Spillway.Core.Providers.RateLimits;

/// <summary>
/// America/Los_Angeles, where Google resets Gemini's daily quotas. Read from the system's tz database; a
/// container without tzdata gets the same US rules built in, so a missing package cannot move a reset by an hour.
/// </summary>
internal static class PacificTimeZone
{
    internal const string Id = "America/Los_Angeles";

    internal static TimeZoneInfo Load()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(Id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return BuiltIn();
        }
    }

    /// <summary>UTC−8, with daylight saving (UTC−7) from the second Sunday of March 02:00 to the first Sunday of
    /// November 02:00, the US rule since 2007. Earlier dates do not matter to a reset computed from now.</summary>
    internal static TimeZoneInfo BuiltIn()
    {
        var start = TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 2, 0, 0), 3, 2, DayOfWeek.Sunday);
        var end = TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 2, 0, 0), 11, 1, DayOfWeek.Sunday);
        var rule = TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(
            new DateTime(2007, 1, 1), DateTime.MaxValue.Date, TimeSpan.FromHours(1), start, end);
        return TimeZoneInfo.CreateCustomTimeZone(
            Id, TimeSpan.FromHours(-8), "Pacific Time", "Pacific Standard Time", "Pacific Daylight Time", [rule]);
    }
}
