using Spillway.Core.Providers;

namespace Spillway.Bench.Yield.Accounting;

/// <summary>
/// A key's known request limits counted the way the simulators count them: a sliding 60-second window for
/// requests per minute and the UTC day for requests per day (every run stays inside one UTC day and one Pacific
/// day, so Gemini's Pacific-midnight reset never comes into it). Token limits are left out: the benchmark's
/// requests are a few dozen tokens, far below every token limit of the presets.
/// </summary>
internal sealed class KnownQuota(KeyLimits limits)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private readonly Queue<DateTimeOffset> _minute = new();
    private DateOnly _day;
    private int _dayRequests;

    /// <summary>Whether a request at <paramref name="now"/> fits; the day is checked first, as the simulators do.</summary>
    public QuotaState Check(DateTimeOffset now)
    {
        Roll(now);
        if (limits.Rpd is { } perDay && _dayRequests >= perDay)
        {
            return QuotaState.DaySpent;
        }

        return limits.Rpm is { } perMinute && _minute.Count >= perMinute ? QuotaState.MinuteSpent : QuotaState.Open;
    }

    /// <summary>Counts one admitted request.</summary>
    public void Count(DateTimeOffset now)
    {
        Roll(now);
        _minute.Enqueue(now);
        _dayRequests++;
    }

    private void Roll(DateTimeOffset now)
    {
        while (_minute.Count > 0 && _minute.Peek() <= now - Minute)
        {
            _minute.Dequeue();
        }

        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (today != _day)
        {
            _day = today;
            _dayRequests = 0;
        }
    }
}
