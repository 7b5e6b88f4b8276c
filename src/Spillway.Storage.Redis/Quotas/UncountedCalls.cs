using Spillway.Core.KeyState;
using Spillway.Core.Providers.RateLimits;

namespace Spillway.Storage.Redis.Quotas;

/// <summary>
/// The calls admitted without asking Redis (<see cref="UncountedHold"/>) that have ended and are still to be counted
/// there, summed per scope and day: <see cref="RedisQuotaStore"/> sends each sum as one record, so a busy key costs
/// Redis one script per flush instead of one per call. Safe to use from several threads.
/// </summary>
internal sealed class UncountedCalls
{
    private readonly PendingSums<(QuotaScope Scope, long DayReset), Sum> _sums = new();

    /// <summary>Adds one ended call. True when its sum has reached <paramref name="flushAt"/> calls and should be sent now.</summary>
    public bool Add(QuotaScope scope, QuotaRules rules, DateTimeOffset admittedAt, long tokens, int flushAt)
    {
        var day = DailyReset.Next(rules.DailyReset, admittedAt).ToUnixTimeMilliseconds();
        lock (_sums.Gate)
        {
            var sum = _sums.In((scope, day));
            sum.Rules ??= rules;
            sum.Calls++;
            sum.Tokens += tokens;
            if (admittedAt > sum.Latest)
            {
                sum.Latest = admittedAt;
            }

            return sum.Calls >= flushAt;
        }
    }

    /// <summary>Takes every sum (each once): what is added from now on goes into new ones.</summary>
    public IReadOnlyList<Taken> TakeAll() =>
        [.. _sums.TakeAll().Select(entry => new Taken(entry.Key.Scope, entry.Value.Rules!.Value, entry.Value.Latest, entry.Value.Calls, entry.Value.Tokens))];

    /// <summary>One scope's ended calls of one day: how many, their tokens, and when the latest was admitted.</summary>
    public sealed record Taken(QuotaScope Scope, QuotaRules Rules, DateTimeOffset Latest, long Calls, long Tokens);

    private sealed class Sum
    {
        /// <summary>The scope's rules at its first call of the day: which day counters to count in.</summary>
        public QuotaRules? Rules { get; set; }

        public long Calls { get; set; }

        public long Tokens { get; set; }

        public DateTimeOffset Latest { get; set; } = DateTimeOffset.MinValue;
    }
}
