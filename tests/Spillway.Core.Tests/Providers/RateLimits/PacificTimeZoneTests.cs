using Spillway.Core.Providers.RateLimits;

namespace Spillway.Core.Tests.Providers.RateLimits;

public class PacificTimeZoneTests
{
    [Fact]
    public void Load_WithInvariantGlobalization_FindsTheSystemZone()
    {
        // The project runs with InvariantGlobalization; time zones must still come from the tz database.
        var zone = PacificTimeZone.Load();

        Assert.Equal(PacificTimeZone.Id, zone.Id);
        Assert.True(zone.SupportsDaylightSavingTime);
        Assert.Equal(TimeSpan.FromHours(-8), zone.BaseUtcOffset);
    }

    [Fact]
    public void BuiltIn_EveryHourOfSeveralYears_AgreesWithTheSystemZone()
    {
        var system = TimeZoneInfo.FindSystemTimeZoneById(PacificTimeZone.Id);
        var builtIn = PacificTimeZone.BuiltIn();
        var mismatches = 0;
        for (var at = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
             at < new DateTimeOffset(2031, 1, 1, 0, 0, 0, TimeSpan.Zero);
             at = at.AddHours(1))
        {
            if (system.GetUtcOffset(at) != builtIn.GetUtcOffset(at)
                || DailyReset.NextMidnightIn(system, at) != DailyReset.NextMidnightIn(builtIn, at))
            {
                mismatches++;
            }
        }

        Assert.Equal(0, mismatches);
    }
}
