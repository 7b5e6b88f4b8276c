namespace Spillway.Bench.Yield.Accounting;

/// <summary>The calls one key received, replayed against its known quota.</summary>
/// <param name="Calls">Upstream calls the key's simulator received.</param>
/// <param name="WithinQuota">Calls made while the known quota had room.</param>
/// <param name="MinuteSpent">Calls made while the known per-minute quota was already spent.</param>
/// <param name="DaySpent">Calls made while the known per-day quota was already spent.</param>
internal sealed record KeyAudit(int Calls, int WithinQuota, int MinuteSpent, int DaySpent)
{
    public int Spent => MinuteSpent + DaySpent;

    /// <summary>Replays the calls, oldest first: each call with room counts against the quota, as the simulator counts it.</summary>
    public static KeyAudit Of(KnownQuota quota, IEnumerable<DateTimeOffset> callTimes)
    {
        int calls = 0, within = 0, minute = 0, day = 0;
        foreach (var time in callTimes)
        {
            calls++;
            switch (quota.Check(time))
            {
                case QuotaState.Open:
                    quota.Count(time);
                    within++;
                    break;
                case QuotaState.MinuteSpent:
                    minute++;
                    break;
                default:
                    day++;
                    break;
            }
        }

        return new KeyAudit(calls, within, minute, day);
    }
}
