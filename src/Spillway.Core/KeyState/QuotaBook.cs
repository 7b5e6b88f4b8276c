using System.Collections.Concurrent;

namespace Spillway.Core.KeyState;

/// <summary>The embedded <see cref="IQuotaStore"/>: one <see cref="KeyQuota"/> per scope, created on first use.
/// A call costs a dictionary look-up and one short lock on its own scope.</summary>
public sealed class QuotaBook : IQuotaStore
{
    private readonly ConcurrentDictionary<QuotaScope, KeyQuota> _scopes = new();

    public bool CountsTokens(QuotaScope scope, QuotaRules rules, DateTimeOffset now) =>
        rules.Limits.Tpm is not null || rules.Limits.Tpd is not null
        || (_scopes.TryGetValue(scope, out var quota) && quota.CountsTokens(rules, now));

    public AdmitDecision TryAdmit(QuotaScope scope, QuotaRules rules, long? tokens, DateTimeOffset now) =>
        Of(scope).TryAdmit(scope, rules, tokens, now);

    /// <inheritdoc />
    public ValueTask<AdmitDecision> TryAdmitAsync(QuotaScope scope, QuotaRules rules, long? tokens, DateTimeOffset now, CancellationToken cancellationToken) =>
        new(TryAdmit(scope, rules, tokens, now));

    public void Settle(QuotaReservation reservation, long? tokens) => reservation.Owner?.Settle(reservation, tokens);

    public void Release(QuotaReservation reservation) => reservation.Owner?.Release(reservation);

    public void Record(QuotaScope scope, QuotaRules rules, long tokens, DateTimeOffset now) => Of(scope).Record(rules, tokens, now);

    public void Observe(
        QuotaScope scope, QuotaRules rules, QuotaMeasure measure, long? limit, long? remaining, DateTimeOffset? resetAt, DateTimeOffset now) =>
        Of(scope).Observe(rules, measure, limit, remaining, resetAt, now);

    public void Learn(QuotaScope scope, QuotaMeasure measure, long limit, DateTimeOffset now) => Of(scope).Learn(measure, limit);

    public long? InferMinuteLimit(QuotaScope scope, QuotaRules rules, DateTimeOffset now) => Of(scope).InferMinuteLimit(rules, now);

    public QuotaFigures Figures(QuotaScope scope, QuotaRules rules, DateTimeOffset now) =>
        _scopes.TryGetValue(scope, out var quota) ? quota.Figures(rules, now) : new KeyQuota().Figures(rules, now);

    public IReadOnlyList<QuotaScope> Scopes() => [.. _scopes.Keys];

    public IReadOnlyList<QuotaRecord> Export(DateTimeOffset now)
    {
        var records = new List<QuotaRecord>();
        foreach (var pair in _scopes)
        {
            pair.Value.Export(pair.Key, now, records);
        }

        return records;
    }

    public void Import(IEnumerable<QuotaRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (var record in records)
        {
            Of(new QuotaScope(record.KeyId, record.Model)).Import(record);
        }
    }

    private KeyQuota Of(QuotaScope scope) => _scopes.GetOrAdd(scope, static _ => new KeyQuota());
}
