using Spillway.Core.KeyState;

namespace Spillway.Storage.Redis.Quotas;

/// <summary>
/// A reservation <see cref="RedisQuotaStore"/> admitted without asking Redis, because nothing bounded its scope: no
/// window counted it. Its settlement counts the call once, with the real tokens, under the day it was admitted in;
/// a release counts nothing.
/// </summary>
internal sealed class UncountedHold(QuotaRules rules, DateTimeOffset admittedAt)
{
    private int _closed;

    /// <summary>The scope's rules at the admission: the day counters to count it in.</summary>
    public QuotaRules Rules { get; } = rules;

    public DateTimeOffset AdmittedAt { get; } = admittedAt;

    /// <summary>True the first time only: a reservation is settled or released once.</summary>
    public bool TryClose() => Interlocked.Exchange(ref _closed, 1) == 0;
}
