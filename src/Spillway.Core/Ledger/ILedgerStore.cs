namespace Spillway.Core.Ledger;

/// <summary>Where ledger entries are kept (SQLite embedded; PostgreSQL for several instances).</summary>
public interface ILedgerStore
{
    /// <summary>Creates tables if needed.</summary>
    ValueTask InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Writes a batch in one transaction.</summary>
    ValueTask AppendAsync(IReadOnlyList<LedgerEntry> batch, CancellationToken cancellationToken);

    /// <summary>The newest entries first.</summary>
    ValueTask<IReadOnlyList<LedgerEntry>> ListRecentAsync(int limit, CancellationToken cancellationToken);
}
