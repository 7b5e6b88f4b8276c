namespace Spillway.Core.Ledger;

/// <summary>Reads every ledger store answers the same way, built on <see cref="ILedgerStore.ListPageAsync"/>.</summary>
public static class LedgerStoreExtensions
{
    /// <summary>The newest <paramref name="limit"/> entries, newest first (none for a limit of 0).</summary>
    public static async ValueTask<IReadOnlyList<LedgerEntry>> ListRecentAsync(this ILedgerStore store, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return limit == 0 ? [] : (await store.ListPageAsync(limit, null, cancellationToken))!.Entries;
    }
}
