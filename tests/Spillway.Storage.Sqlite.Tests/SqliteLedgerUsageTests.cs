using Spillway.Core.Chat;
using Spillway.Core.Ledger;
using Spillway.TestSupport;
using Spillway.TestSupport.Ledger;

namespace Spillway.Storage.Sqlite.Tests;

public sealed class SqliteLedgerUsageTests : IDisposable
{
    private static readonly DateTimeOffset Day1 = new(2026, 7, 1, 23, 59, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Day2 = new(2026, 7, 2, 0, 1, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();
    private readonly SqliteLedgerStore _store;

    public SqliteLedgerUsageTests()
    {
        _store = new SqliteLedgerStore(_directory.Path);
    }

    public void Dispose()
    {
        _store.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task UsageByClientAsync_SumsPerClient_ExactDecimals()
    {
        await _store.InitializeAsync(CancellationToken.None);

        await ClientUsageScenario.SumsPerClientAsync(_store, _store);
    }

    [Fact]
    public async Task UsageByDayAsync_SumsPerUtcDayAndRoute_ExactDecimals()
    {
        await _store.InitializeAsync(CancellationToken.None);
        await _store.AppendAsync(
            [
                Served("a", Day1, "openai/gpt-4o-mini", cost: 0.000123456789m, saved: null),
                Served("b", Day1, "openai/gpt-4o-mini", cost: 0.1m, saved: null),
                Served("c", Day1, "groq/llama", cost: 0m, saved: 0.00195m),
                Served("d", Day2.ToOffset(TimeSpan.FromHours(-5)), "groq/llama", cost: 0m, saved: 0.001m),
                Served("e", Day2, "groq/llama", cost: 0m, saved: 0.002m),
                Served("f", Day2, "paid/unpriced", cost: null, saved: null),
                Served("g", Day2, "paid/unpriced", cost: null, saved: null) with { Error = "the stream broke" },
                LedgerEntryFactory.Bare("failed", Day2),
                Served("old", Day1.AddDays(-1), "groq/llama", cost: 0m, saved: 5m),
            ],
            CancellationToken.None);

        var totals = await _store.UsageByDayAsync(DateOnly.FromDateTime(Day1.UtcDateTime), CancellationToken.None);

        Assert.Equal(
            [
                new UsageTotals("2026-07-01", "groq/llama", 1, 0m, 0.00195m, 0, 1000, 100),
                new UsageTotals("2026-07-01", "openai/gpt-4o-mini", 2, 0.100123456789m, 0m, 0, 2000, 200),
                new UsageTotals("2026-07-02", "groq/llama", 2, 0m, 0.003m, 0, 2000, 200),
                new UsageTotals("2026-07-02", "paid/unpriced", 2, 0m, 0m, 1, 2000, 200),
            ],
            totals);
    }

    private static LedgerEntry Served(string id, DateTimeOffset time, string route, decimal? cost, decimal? saved) =>
        LedgerEntryFactory.Bare(id, time) with
        {
            Route = route,
            Status = 200,
            Usage = new TokenUsage(1000, 100),
            CostUsd = cost,
            SavedUsd = saved,
        };
}
