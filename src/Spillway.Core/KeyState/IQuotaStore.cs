namespace Spillway.Core.KeyState;

/// <summary>
/// What Spillway knows of each key's quota (requests and tokens per minute and per day): counted as calls are
/// made, corrected from what the provider says. Beside <see cref="IKeyStateStore"/> (cooldowns); in memory by
/// default (<see cref="QuotaBook"/>), persisted by the host; a shared store can stand behind the same interface.
/// </summary>
public interface IQuotaStore
{
    /// <summary>True when a token quota bounds the scope, so the request's tokens are worth estimating.</summary>
    bool CountsTokens(QuotaScope scope, QuotaRules rules, DateTimeOffset now);

    /// <summary>Admits one request and reserves it (a request and <paramref name="tokens"/>), or refuses it.</summary>
    /// <param name="tokens">The estimated tokens; null when not estimated (token quotas are then not checked).</param>
    /// <remarks>The one quota operation a request waits for: a shared store answers it in one round trip; the others
    /// below never hold up a request.</remarks>
    ValueTask<AdmitDecision> TryAdmitAsync(QuotaScope scope, QuotaRules rules, long? tokens, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The call was made: the request stays counted, the tokens become <paramref name="tokens"/>
    /// (the real usage; null keeps the estimate).</summary>
    void Settle(QuotaReservation reservation, long? tokens);

    /// <summary>The provider did not count the call: the reservation is given back.</summary>
    void Release(QuotaReservation reservation);

    /// <summary>Counts a call made without a reservation.</summary>
    void Record(QuotaScope scope, QuotaRules rules, long tokens, DateTimeOffset now);

    /// <summary>Takes what an answer's headers stated for one quota: its limit, what is left, and until when.</summary>
    void Observe(QuotaScope scope, QuotaRules rules, QuotaMeasure measure, long? limit, long? remaining, DateTimeOffset? resetAt, DateTimeOffset now);

    /// <summary>Takes a limit the provider named in a refusal ("Limit 1000"): it beats the configured figure. A shared
    /// store keeps it a day from <paramref name="now"/>.</summary>
    void Learn(QuotaScope scope, QuotaMeasure measure, long limit, DateTimeOffset now);

    /// <summary>
    /// The provider refused a request for its per-minute limit without naming it: where no limit is configured,
    /// stated or learned, the calls it took in the last minute become the scope's per-minute limit (for a day, lowered
    /// by a refusal that comes sooner). Returns the limit inferred, or null.
    /// </summary>
    long? InferMinuteLimit(QuotaScope scope, QuotaRules rules, DateTimeOffset now);

    /// <summary>Limits, remaining and resets of a scope, for the admin API.</summary>
    QuotaFigures Figures(QuotaScope scope, QuotaRules rules, DateTimeOffset now);

    /// <summary>Every scope with state, for listing per-model quotas.</summary>
    IReadOnlyList<QuotaScope> Scopes();

    /// <summary>What is worth keeping across a restart.</summary>
    IReadOnlyList<QuotaRecord> Export(DateTimeOffset now);

    /// <summary>Restores what <see cref="Export"/> kept.</summary>
    void Import(IEnumerable<QuotaRecord> records);
}
