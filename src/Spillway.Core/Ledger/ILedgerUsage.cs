namespace Spillway.Core.Ledger;

/// <summary>Totals read from the ledger: spend and savings per day and route.</summary>
public interface ILedgerUsage
{
    /// <summary>Totals per UTC day and serving route since <paramref name="since"/> (inclusive), oldest day first, then by route.</summary>
    ValueTask<IReadOnlyList<UsageTotals>> UsageByDayAsync(DateOnly since, CancellationToken cancellationToken);
}
