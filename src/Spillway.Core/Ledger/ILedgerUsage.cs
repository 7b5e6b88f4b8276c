namespace Spillway.Core.Ledger;

/// <summary>Totals read from the ledger: spend and savings per day and route, and per client.</summary>
public interface ILedgerUsage
{
    /// <summary>Totals per UTC day and serving route since <paramref name="since"/> (inclusive), oldest day first, then by route.</summary>
    ValueTask<IReadOnlyList<UsageTotals>> UsageByDayAsync(DateOnly since, CancellationToken cancellationToken);

    /// <summary>Totals per client of the requests served since <paramref name="since"/> (inclusive): anonymous
    /// loopback clients first (a null id), then by id.</summary>
    ValueTask<IReadOnlyList<ClientUsageTotals>> UsageByClientAsync(DateOnly since, CancellationToken cancellationToken);
}
