using Spillway.Core.Budgets;
using Spillway.Core.Ledger;
using Spillway.TestSupport;
using Spillway.TestSupport.Ledger;

namespace Spillway.Storage.Sqlite.Tests;

/// <summary>The spend journal beside the ledger in <c>spillway.db</c>: what it holds beyond the ledger counts toward
/// budgets, and is put back into the ledger at start.</summary>
public sealed class SqliteSpendJournalTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();
    private readonly SqliteLedgerStore _ledger;
    private readonly SqliteSpendJournal _journal;

    public SqliteSpendJournalTests()
    {
        _ledger = new SqliteLedgerStore(_directory.Path);
        _journal = new SqliteSpendJournal(_directory.Path, _ledger);
    }

    public void Dispose()
    {
        _journal.Dispose();
        _ledger.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task RecoverAsync_RequestsTheLedgerNeverGot_OneEntryEachWithTheirCallsAndSummedCost_AndOnlyOnce()
    {
        await _ledger.InitializeAsync(CancellationToken.None);
        await _journal.RecordAsync(Call("req_written", 1, "openai/gpt-4o-mini", 0.25m), CancellationToken.None);
        await _ledger.AppendAsync([LedgerEntryFactory.Bare("req_written", At) with { ClientId = "team" }], CancellationToken.None);
        await _journal.RecordAsync(Call("req_lost", 1, "openai/gpt-4o-mini", 0.01m), CancellationToken.None);
        await _journal.RecordAsync(Call("req_lost", 2, "anthropic/claude-haiku-4-5", 0.02m), CancellationToken.None);

        var recovered = Assert.Single(await _journal.RecoverAsync(CancellationToken.None));

        Assert.Equal("req_lost", recovered.Id);
        Assert.Equal("team", recovered.ClientId);
        Assert.Equal(0.03m, recovered.CostUsd);
        Assert.Equal("anthropic/claude-haiku-4-5", recovered.Route);
        Assert.Equal(["openai/gpt-4o-mini", "anthropic/claude-haiku-4-5"], recovered.Attempts.Select(a => a.Route));
        Assert.All(recovered.Attempts, a => Assert.Equal((Outcomes.Ok, "key-1", SqliteSpendJournal.RecoveredDetail), (a.Outcome, a.KeyId, a.Detail)));
        Assert.Equal(("chain", "anthropic", true, 200, At), (recovered.Model, recovered.ClientFormat, recovered.Stream, recovered.Status, recovered.Time));

        await _ledger.AppendAsync([recovered], CancellationToken.None);

        Assert.Empty(await _journal.RecoverAsync(CancellationToken.None));
        var spend = await _journal.SpendByDayAsync("team", DateOnly.FromDateTime(At.UtcDateTime), CancellationToken.None);
        Assert.Equal(0.03m, spend[DateOnly.FromDateTime(At.UtcDateTime)]);
    }

    [Fact]
    public async Task SpendByDayAsync_JournalRowsTheLedgerLacks_CountOnceBesideTheLedgers()
    {
        await _ledger.InitializeAsync(CancellationToken.None);
        await _ledger.AppendAsync([LedgerEntryFactory.Bare("req_a", At) with { ClientId = "team", CostUsd = 0.5m }], CancellationToken.None);
        await _journal.RecordAsync(Call("req_a", 1, "openai/gpt-4o-mini", 0.5m), CancellationToken.None);
        await _journal.RecordAsync(Call("req_b", 1, "openai/gpt-4o-mini", 0.125m), CancellationToken.None);

        var spend = await _journal.SpendByDayAsync("team", DateOnly.FromDateTime(At.UtcDateTime), CancellationToken.None);

        Assert.Equal(0.625m, Assert.Single(spend).Value);
    }

    private static JournaledCall Call(string requestId, int call, string route, decimal cost) =>
        new(requestId, call, "team", At, cost, route, "key-1", "chain", "anthropic", Stream: true);
}
