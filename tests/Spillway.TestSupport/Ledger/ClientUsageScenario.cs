using Spillway.Core.Ledger;
using Xunit;

namespace Spillway.TestSupport.Ledger;

/// <summary>Spend per client, run the same way against every <see cref="ILedgerUsage"/> (SQLite, PostgreSQL).</summary>
public static class ClientUsageScenario
{
    private static readonly DateTimeOffset Day = new(2026, 7, 2, 12, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Served requests of an anonymous client and two named ones sum exactly per client, anonymous first, then by id;
    /// a request no route served and one before the span are left out.
    /// </summary>
    /// <param name="store">An initialized, empty store.</param>
    /// <param name="usage">The same store's totals.</param>
    public static async Task SumsPerClientAsync(ILedgerStore store, ILedgerUsage usage)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(usage);
        await store.AppendAsync(
            [
                Served("a", null, cost: 0m, saved: 0.002m),
                Served("b", "team-b", cost: 0.000123456789m, saved: null),
                Served("c", "team-b", cost: 0.1m, saved: null),
                Served("d", "Team-A", cost: null, saved: null),
                Served("e", "team-b", cost: 1m, saved: null) with { Time = Day.AddDays(-3) },
                LedgerEntryFactory.Bare("refused", Day) with { ClientId = "team-b" },
            ],
            CancellationToken.None);

        var totals = await usage.UsageByClientAsync(DateOnly.FromDateTime(Day.UtcDateTime), CancellationToken.None);

        Assert.Equal(
            [
                new ClientUsageTotals(null, 1, 0m, 0.002m),
                new ClientUsageTotals("Team-A", 1, 0m, 0m),
                new ClientUsageTotals("team-b", 2, 0.100123456789m, 0m),
            ],
            totals);
    }

    private static LedgerEntry Served(string id, string? client, decimal? cost, decimal? saved) =>
        LedgerEntryFactory.Bare(id, Day) with
        {
            Route = "openai/gpt-4o-mini",
            Status = 200,
            CostUsd = cost,
            SavedUsd = saved,
            ClientId = client,
        };
}
