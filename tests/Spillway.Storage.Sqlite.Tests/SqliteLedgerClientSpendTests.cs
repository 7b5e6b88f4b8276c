using Spillway.TestSupport;
using Spillway.TestSupport.Ledger;

namespace Spillway.Storage.Sqlite.Tests;

public sealed class SqliteLedgerClientSpendTests : IDisposable
{
    private static readonly DateTimeOffset Day1 = new(2026, 7, 1, 23, 59, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Day2 = new(2026, 7, 2, 0, 1, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();
    private readonly SqliteLedgerStore _store;

    public SqliteLedgerClientSpendTests()
    {
        _store = new SqliteLedgerStore(_directory.Path);
    }

    public void Dispose()
    {
        _store.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task SpendByDayAsync_SumsOneClientsPricedCallsPerUtcDaySince()
    {
        await _store.InitializeAsync(CancellationToken.None);
        await _store.AppendAsync(
            [
                LedgerEntryFactory.Full("a", Day1) with { CostUsd = 0.000123456789m },
                LedgerEntryFactory.Full("b", Day1) with { CostUsd = 0.1m },
                LedgerEntryFactory.Full("c", Day2) with { CostUsd = 0.25m },
                LedgerEntryFactory.Full("unpriced", Day2) with { CostUsd = null },
                LedgerEntryFactory.Full("other-client", Day2) with { CostUsd = 9m, ClientId = "team-b" },
                LedgerEntryFactory.Full("before", Day1.AddDays(-1)) with { CostUsd = 7m },
            ],
            CancellationToken.None);

        var spend = await _store.SpendByDayAsync("team-a", DateOnly.FromDateTime(Day1.UtcDateTime), CancellationToken.None);

        Assert.Equal(2, spend.Count);
        Assert.Equal(0.100123456789m, spend[new DateOnly(2026, 7, 1)]);
        Assert.Equal(0.25m, spend[new DateOnly(2026, 7, 2)]);
    }
}
