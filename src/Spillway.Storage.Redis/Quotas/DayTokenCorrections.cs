using Spillway.Core.KeyState;

namespace Spillway.Storage.Redis.Quotas;

/// <summary>
/// Settlements waiting to correct a day's token counter (the real tokens against the reserved estimate), summed per
/// scope and day: <see cref="RedisQuotaStore"/> sends each sum as one <c>HINCRBY</c>, so a busy key costs Redis a
/// few commands per flush instead of two per call. Safe to use from several threads.
/// </summary>
internal sealed class DayTokenCorrections
{
    private readonly Lock _gate = new();
    private Dictionary<(QuotaScope Scope, long DayReset), Sum> _sums = [];

    /// <summary>Adds one settlement's difference to the counter of the day whose reset is <paramref name="dayReset"/>.</summary>
    public void Add(QuotaScope scope, long dayReset, long delta, long admittedAt)
    {
        lock (_gate)
        {
            if (!_sums.TryGetValue((scope, dayReset), out var sum))
            {
                sum = new Sum();
                _sums[(scope, dayReset)] = sum;
            }

            sum.Delta += delta;
            sum.Latest = Math.Max(sum.Latest, admittedAt);
        }
    }

    /// <summary>Takes every sum (each once): what is added from now on goes into new ones.</summary>
    public IReadOnlyList<Taken> TakeAll()
    {
        Dictionary<(QuotaScope Scope, long DayReset), Sum> taken;
        lock (_gate)
        {
            if (_sums.Count == 0)
            {
                return [];
            }

            taken = _sums;
            _sums = [];
        }

        return [.. taken.Where(entry => entry.Value.Delta != 0)
            .Select(entry => new Taken(entry.Key.Scope, entry.Key.DayReset, entry.Value.Delta, entry.Value.Latest))];
    }

    /// <summary>One scope's correction of one day's token counter, and when the latest call it sums was admitted
    /// (Unix ms).</summary>
    public sealed record Taken(QuotaScope Scope, long DayReset, long Delta, long LatestAdmittedAt);

    private sealed class Sum
    {
        public long Delta { get; set; }

        public long Latest { get; set; }
    }
}
