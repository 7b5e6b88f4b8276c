namespace Spillway.Core.Ledger;

/// <summary>Where ledger entries are kept (SQLite embedded; PostgreSQL for several instances).</summary>
public interface ILedgerStore
{
    /// <summary>Creates tables if needed.</summary>
    ValueTask InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Writes a batch in one transaction.</summary>
    ValueTask AppendAsync(IReadOnlyList<LedgerEntry> batch, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> entries, newest first: the newest of all when <paramref name="beforeId"/> is null,
    /// else those older than that entry, in the same order, so following
    /// <see cref="LedgerPage.NextBefore"/> walks every entry exactly once. Null when no entry has the id
    /// <paramref name="beforeId"/> (never stored, or pruned).
    /// </summary>
    ValueTask<LedgerPage?> ListPageAsync(int limit, string? beforeId, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the entries older than <paramref name="olderThan"/> with their attempts, at most
    /// <paramref name="batchSize"/> per transaction so writers are never held up for long.
    /// </summary>
    /// <returns>How many entries were deleted.</returns>
    ValueTask<long> PruneAsync(DateTimeOffset olderThan, int batchSize, CancellationToken cancellationToken);
}
