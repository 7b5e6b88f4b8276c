using Spillway.Core.Providers.RateLimits;

namespace Spillway.Core.Tests.Providers.RateLimits;

public class DailyResetTests
{
    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute = 0) =>
        new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2025-11-16T13:02:44Z", "2025-11-17T00:00:00Z")]
    [InlineData("2025-11-16T23:59:59Z", "2025-11-17T00:00:00Z")]
    [InlineData("2025-11-17T00:00:00Z", "2025-11-18T00:00:00Z")]
    [InlineData("2025-12-31T18:00:00Z", "2026-01-01T00:00:00Z")]
    [InlineData("2025-11-16T01:00:00+02:00", "2025-11-16T00:00:00Z")]
    public void Next_UtcMidnight_IsTheNextUtcDay(string now, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            DailyReset.Next(DailyResetRule.UtcMidnight, DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Next_PacificMidnightInSummer_Is0700Utc()
    {
        Assert.Equal(Utc(2025, 7, 2, 7), DailyReset.Next(DailyResetRule.PacificMidnight, Utc(2025, 7, 1, 12)));
    }

    [Fact]
    public void Next_PacificMidnightInWinter_Is0800Utc()
    {
        Assert.Equal(Utc(2025, 12, 2, 8), DailyReset.Next(DailyResetRule.PacificMidnight, Utc(2025, 12, 1, 12)));
    }

    [Fact]
    public void Next_PacificLateEveningOnTheNextUtcDay_IsTheComingPacificMidnight()
    {
        // 23:59 PDT on 1 July is already 2 July in UTC.
        Assert.Equal(Utc(2025, 7, 2, 7), DailyReset.Next(DailyResetRule.PacificMidnight, Utc(2025, 7, 2, 6, 59)));
    }

    [Fact]
    public void Next_PacificExactlyAtMidnight_IsTheFollowingMidnight()
    {
        Assert.Equal(Utc(2025, 7, 3, 7), DailyReset.Next(DailyResetRule.PacificMidnight, Utc(2025, 7, 2, 7)));
    }

    [Fact]
    public void Next_PacificOnTheDayDaylightSavingStarts_UsesStandardTimeMidnightThenDaylight()
    {
        // DST starts on Sunday 8 March 2026 at 02:00 PST: that day's midnight is PST, the next one PDT.
        Assert.Equal(Utc(2026, 3, 8, 8), DailyReset.Next(DailyResetRule.PacificMidnight, Utc(2026, 3, 7, 20)));
        Assert.Equal(Utc(2026, 3, 9, 7), DailyReset.Next(DailyResetRule.PacificMidnight, Utc(2026, 3, 8, 12)));
    }

    [Fact]
    public void Next_PacificOnTheDayDaylightSavingEnds_UsesDaylightMidnightThenStandard()
    {
        // DST ends on Sunday 2 November 2025 at 02:00 PDT.
        Assert.Equal(Utc(2025, 11, 2, 7), DailyReset.Next(DailyResetRule.PacificMidnight, Utc(2025, 11, 1, 12)));
        Assert.Equal(Utc(2025, 11, 3, 8), DailyReset.Next(DailyResetRule.PacificMidnight, Utc(2025, 11, 2, 12)));
    }

    [Fact]
    public void Next_UnknownRule_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DailyReset.Next((DailyResetRule)42, Utc(2025, 7, 1, 0)));
    }
}
