using Spillway.Core.Providers;

namespace Spillway.Bench.Yield.Accounting;

/// <summary>
/// How many requests a free key could serve over the run: every request of the workload offered to that key alone,
/// at the instant it was sent, admitted whenever the key's known quota has room. Summed over the free keys (and
/// capped at the number of requests) this is the most any routing could serve free.
/// </summary>
internal static class FreeCapacity
{
    public static int Of(KeyLimits limits, IEnumerable<DateTimeOffset> sendTimes)
    {
        var quota = new KnownQuota(limits);
        var admitted = 0;
        foreach (var time in sendTimes)
        {
            if (quota.Check(time) == QuotaState.Open)
            {
                quota.Count(time);
                admitted++;
            }
        }

        return admitted;
    }
}
