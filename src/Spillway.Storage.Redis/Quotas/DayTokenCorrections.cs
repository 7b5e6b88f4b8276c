using Spillway.Core.KeyState;

namespace Spillway.Storage.Redis.Quotas;

/// <summary>
/// Settlements waiting to correct a day's token counter (the real tokens against the reserved estimate), summed per
/// scope and day: <see cref="RedisQuotaStore"/> sends each sum as one <c>HINCRBY</c>, so a busy key costs Redis a
/// few commands per flush instead of two per call. Safe to use from several threads.
/// </summary>
internal sealed class DayTokenCorrections
{
    private readonly PendingSums<(QuotaScope Scope, long DayReset), Sum> _sums = new();

    /// <summary>Adds one settlement's difference to the counter of the day whose reset is <paramref name="dayReset"/>.</summary>
    public void Add(QuotaScope scope, long dayReset, long delta, long admittedAt)
    {
        lock (_sums.Gate)
        {
            var sum = _sums.In((scope, dayReset));
            sum.Delta += delta;
            sum.Latest = Math.Max(sum.Latest, admittedAt);
        }
    }

    /// <summary>Takes every sum that changes its counter (each once): what is added from now on goes into new ones.</summary>
    public IReadOnlyList<Taken> TakeAll() =>
        [.. _sums.TakeAll().Where(entry => entry.Value.Delta != 0)
            .Select(entry => new Taken(entry.Key.Scope, entry.Key.DayReset, entry.Value.Delta, entry.Value.Latest))];

    /// <summary>One scope's correction of one day's token counter, and when the latest call it sums was admitted
    /// (Unix ms).</summary>
    public sealed record Taken(QuotaScope Scope, long DayReset, long Delta, long LatestAdmittedAt);

    private sealed class Sum
    {
        public long Delta { get; set; }

        public long Latest { get; set; }
    }
}
