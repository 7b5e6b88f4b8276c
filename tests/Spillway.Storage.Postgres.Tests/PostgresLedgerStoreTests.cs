using System.Globalization;
using Npgsql;
using Spillway.Core.Ledger;

using Spillway.TestSupport.Ledger;

namespace Spillway.Storage.Postgres.Tests;

public sealed class PostgresLedgerStoreTests(PostgresServerFixture fixture) : PostgresTest(fixture)
{
    [Fact]
    public async Task ListRecentAsync_EntryWithEveryField_RoundTripsIt()
    {
        var store = (await OpenAsync()).Ledger;
        var entry = LedgerEntryFactory.Full("full") with { Time = LedgerEntryFactory.BaseTime.ToOffset(TimeSpan.FromHours(2)) };

        await store.AppendAsync([entry], CancellationToken.None);
        var read = await store.ListRecentAsync(10, CancellationToken.None);

        LedgerEntryFactory.AssertSame(entry, Assert.Single(read));
        Assert.Equal(3, read[0].Attempts.Length);
    }

    [Fact]
    public async Task PruneAsync_EntriesOnBothSidesOfTheCutoff_DeletesTheOlderWithTheirAttemptsInBatches()
    {
        var store = (await OpenAsync()).Ledger;

        await LedgerStoreScenarios.PruneKeepsOnlyTheNewerEntriesAsync(store, async () =>
        {
            return Assert.Single(await QueryAsync(
                "SELECT (SELECT count(*) FROM requests), (SELECT count(*) FROM attempts);", r => (r.GetInt64(0), r.GetInt64(1))));
        });
    }

    [Fact]
    public async Task InitializeAsync_Migrated_AttemptsCarryNoForeignKeyToCheckPerRow()
    {
        _ = (await OpenAsync()).Ledger;

        // Schema v3 dropped it: the ledger's statement writes attempts only with their entry, and the prune deletes both.
        Assert.Equal(
            [0L],
            await QueryAsync("SELECT count(*) FROM pg_constraint WHERE conrelid = 'attempts'::regclass AND contype = 'f';", r => r.GetInt64(0)));
    }

    [Fact]
    public async Task ListPageAsync_FollowingNextBefore_WalksEveryEntryOnceNewestFirst()
    {
        var store = (await OpenAsync()).Ledger;

        await LedgerStoreScenarios.PagesWalkEveryEntryOnceAsync(store);
    }

    [Fact]
    public async Task ListRecentAsync_EntryWithNullOptionals_KeepsThemNull()
    {
        var store = (await OpenAsync()).Ledger;
        var entry = LedgerEntryFactory.Bare("bare");

        await store.AppendAsync([entry], CancellationToken.None);
        var read = Assert.Single(await store.ListRecentAsync(10, CancellationToken.None));

        LedgerEntryFactory.AssertSame(entry, read);
        Assert.Null(read.Usage);
        Assert.Null(read.CostUsd);
        Assert.Null(read.SavedUsd);
        Assert.Null(read.Route);
        Assert.Null(read.TtftMs);
        Assert.Empty(read.Attempts);
    }

    [Fact]
    public async Task ListRecentAsync_EntriesFromSeveralBatches_NewestFirst()
    {
        var store = (await OpenAsync()).Ledger;
        var t = LedgerEntryFactory.BaseTime;
        await store.AppendAsync(
            [LedgerEntryFactory.Full("b", t.AddSeconds(2)), LedgerEntryFactory.Bare("a", t.AddSeconds(1))],
            CancellationToken.None);
        await store.AppendAsync(
            [LedgerEntryFactory.Bare("d", t.AddSeconds(4)), LedgerEntryFactory.Full("c", t.AddSeconds(3))],
            CancellationToken.None);

        var read = await store.ListRecentAsync(10, CancellationToken.None);

        Assert.Equal(["d", "c", "b", "a"], read.Select(e => e.Id));
        Assert.Equal(["groq-1", "groq-2", "or-main"], read[1].Attempts.Select(a => a.KeyId));
        Assert.Equal(["groq-1", "groq-2", "or-main"], read[2].Attempts.Select(a => a.KeyId));
        Assert.Empty(read[0].Attempts);
    }

    [Fact]
    public async Task ListRecentAsync_SameMillisecond_LaterInsertComesFirst()
    {
        var store = (await OpenAsync()).Ledger;

        await store.AppendAsync([LedgerEntryFactory.Bare("first"), LedgerEntryFactory.Bare("second")], CancellationToken.None);
        await store.AppendAsync([LedgerEntryFactory.Bare("third")], CancellationToken.None);

        var read = await store.ListRecentAsync(10, CancellationToken.None);
        Assert.Equal(["third", "second", "first"], read.Select(e => e.Id));
    }

    [Fact]
    public async Task ListRecentAsync_Limit_ReturnsOnlyTheNewestWithTheirAttemptsOrAllForTheLargestLimit()
    {
        var store = (await OpenAsync()).Ledger;
        var t = LedgerEntryFactory.BaseTime;
        await store.AppendAsync(
            [.. Enumerable.Range(0, 20).Select(i => LedgerEntryFactory.Full($"r{i:00}", t.AddMinutes(i)))],
            CancellationToken.None);

        var read = await store.ListRecentAsync(5, CancellationToken.None);

        Assert.Equal(["r19", "r18", "r17", "r16", "r15"], read.Select(e => e.Id));
        Assert.All(read, e => Assert.Equal(3, e.Attempts.Length));
        Assert.Empty(await store.ListRecentAsync(0, CancellationToken.None));
        Assert.Equal(20, (await store.ListRecentAsync(int.MaxValue, CancellationToken.None)).Count);
    }

    [Theory]
    [InlineData("0.000123456789")]
    [InlineData("0.10")]
    [InlineData("-1.5")]
    [InlineData("79228162514264337593543950335")]
    [InlineData("0.0000000000000000000000000001")]
    public async Task AppendAsync_DecimalMoney_RoundTripsExactly(string text)
    {
        var store = (await OpenAsync()).Ledger;
        var amount = decimal.Parse(text, CultureInfo.InvariantCulture);

        await store.AppendAsync([LedgerEntryFactory.Bare("m") with { CostUsd = amount, SavedUsd = amount }], CancellationToken.None);
        var read = Assert.Single(await store.ListRecentAsync(1, CancellationToken.None));

        // Compare the text too: it also checks the scale (0.10 stays 0.10).
        Assert.Equal(text, read.CostUsd?.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(text, read.SavedUsd?.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task AppendAsync_Entry_StoresUtcDaySoSpendGroupsByDayAndRoute()
    {
        var store = (await OpenAsync()).Ledger;
        var lateEvening = new DateTimeOffset(2025, 3, 1, 22, 30, 0, TimeSpan.FromHours(-5)); // 2025-03-02 03:30 UTC
        await store.AppendAsync(
        [
            LedgerEntryFactory.Full("a", lateEvening) with { CostUsd = 0.25m },
            LedgerEntryFactory.Full("b", lateEvening.AddMinutes(1)) with { CostUsd = 0.5m },
            LedgerEntryFactory.Full("c", lateEvening.AddDays(1)) with { CostUsd = 1m },
        ], CancellationToken.None);

        var rows = await QueryAsync(
            "SELECT day::text, route, SUM(cost_usd), COUNT(*) FROM requests GROUP BY day, route ORDER BY day;",
            r => (Day: r.GetString(0), Route: r.GetString(1), Cost: r.GetDecimal(2), Count: r.GetInt64(3)));

        Assert.Equal(
            [("2025-03-02", "openrouter/deepseek/deepseek-chat", 0.75m, 2L), ("2025-03-03", "openrouter/deepseek/deepseek-chat", 1.0m, 1L)],
            rows);
    }

    [Fact]
    public async Task AppendAsync_DuplicateId_KeepsTheFirstCopyAndSucceeds()
    {
        var store = (await OpenAsync()).Ledger;
        var first = LedgerEntryFactory.Full("same");

        await store.AppendAsync([first], CancellationToken.None);
        await store.AppendAsync([first with { Model = "other", Attempts = [] }], CancellationToken.None);
        await store.AppendAsync([first with { Model = "third", Attempts = [.. first.Attempts, first.Attempts[0]] }], CancellationToken.None);

        LedgerEntryFactory.AssertSame(first, Assert.Single(await store.ListRecentAsync(10, CancellationToken.None)));
    }

    [Fact]
    public async Task AppendAsync_DuplicateIdInOneBatch_KeepsTheFirstCopy()
    {
        var store = (await OpenAsync()).Ledger;
        var first = LedgerEntryFactory.Full("same");

        await store.AppendAsync([first, first with { Model = "other" }], CancellationToken.None);

        LedgerEntryFactory.AssertSame(first, Assert.Single(await store.ListRecentAsync(10, CancellationToken.None)));
    }

    [Fact]
    public async Task AppendAsync_OneEntryInBatchInvalid_WritesNothingOfTheBatch()
    {
        var store = (await OpenAsync()).Ledger;
        var invalid = LedgerEntryFactory.Bare("bad") with { Model = null! };

        await AssertRefusedWholeAsync(store, [LedgerEntryFactory.Full("good"), invalid], "model");
    }

    [Fact]
    public async Task AppendAsync_OneAttemptInBatchInvalid_WritesNoEntryOfTheBatch()
    {
        var store = (await OpenAsync()).Ledger;
        var good = LedgerEntryFactory.Full("good");
        var badAttempt = LedgerEntryFactory.Full("bad") with { Attempts = [good.Attempts[0] with { Outcome = null! }] };

        // The entries' statement succeeds and the attempts' fails: the batch's one transaction takes both back.
        await AssertRefusedWholeAsync(store, [good, badAttempt], "outcome");
    }

    /// <summary>The batch fails on a NULL in <paramref name="column"/>, and none of its entries or attempts is stored.</summary>
    private async Task AssertRefusedWholeAsync(PostgresLedgerStore store, IReadOnlyList<LedgerEntry> batch, string column)
    {
        var error = await Assert.ThrowsAsync<PostgresException>(async () => await store.AppendAsync(batch, CancellationToken.None));

        Assert.Equal(PostgresErrorCodes.NotNullViolation, error.SqlState);
        Assert.Equal(column, error.ColumnName);
        Assert.Empty(await store.ListRecentAsync(10, CancellationToken.None));
        Assert.Equal([0L], await QueryAsync("SELECT COUNT(*) FROM attempts;", r => r.GetInt64(0)));
    }

    [Fact]
    public async Task AppendAsync_BatchRetriedAfterPartOfItWasStored_StoresTheRestWithTheirAttempts()
    {
        var store = (await OpenAsync()).Ledger;
        var stored = LedgerEntryFactory.Full("stored");
        var fresh = LedgerEntryFactory.Full("fresh", LedgerEntryFactory.BaseTime.AddSeconds(1));
        await store.AppendAsync([stored], CancellationToken.None);

        await store.AppendAsync([stored with { Model = "other" }, fresh], CancellationToken.None);

        var read = await store.ListRecentAsync(10, CancellationToken.None);
        Assert.Equal(2, read.Count);
        LedgerEntryFactory.AssertSame(fresh, read[0]);
        LedgerEntryFactory.AssertSame(stored, read[1]);
        Assert.Equal([6L], await QueryAsync("SELECT COUNT(*) FROM attempts;", r => r.GetInt64(0)));
    }

    [Fact]
    public async Task AppendAsync_BeforeInitialize_Throws()
    {
        var store = Create().Ledger;

        await Assert.ThrowsAsync<InvalidOperationException>(
            async () => await store.AppendAsync([LedgerEntryFactory.Bare("a")], CancellationToken.None));
    }

    [Fact]
    public async Task AppendAsync_ConcurrentWritersAndReaders_EveryEntryStoredOnce()
    {
        var store = (await OpenAsync()).Ledger;
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var b = 0; b < 10; b++)
            {
                await store.AppendAsync(LedgerEntryFactory.Many(25, $"w{w}b{b}-"), CancellationToken.None);
            }
        }));
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                var read = await store.ListRecentAsync(50, CancellationToken.None);
                Assert.True(read.Count <= 50);
            }
        }));

        await Task.WhenAll(writers.Concat(readers));

        var all = await store.ListRecentAsync(10_000, CancellationToken.None);
        Assert.Equal(1000, all.Count);
        Assert.Equal(1000, all.Select(e => e.Id).Distinct().Count());
    }

    [Fact]
    public async Task AppendAsync_ThroughLedgerWriterFromEightThreads_AllEntriesStored()
    {
        var store = (await OpenAsync()).Ledger;
        var entries = LedgerEntryFactory.Many(1000);

        await using (var writer = new LedgerWriter(store, TimeProvider.System))
        {
            Parallel.For(0, 8, t =>
            {
                for (var i = t; i < entries.Count; i += 8)
                {
                    writer.Enqueue(entries[i]);
                }
            });
            await writer.FlushAsync(CancellationToken.None);
            Assert.Equal(0, writer.DroppedCount);
        }

        var read = await store.ListRecentAsync(2000, CancellationToken.None);
        Assert.Equal(entries.Select(e => e.Id).Order(), read.Select(e => e.Id).Order());
    }

    [Fact]
    public async Task AppendAsync_FiveHundredSmallBatches_EveryEntryAndAttemptStored()
    {
        var store = (await OpenAsync()).Ledger;
        var t = LedgerEntryFactory.BaseTime;

        for (var b = 0; b < 500; b++)
        {
            IReadOnlyList<LedgerEntry> batch = b % 2 == 0
                ? [LedgerEntryFactory.Full($"b{b:000}-0", t.AddSeconds(b))]
                : [LedgerEntryFactory.Bare($"b{b:000}-0", t.AddSeconds(b)), LedgerEntryFactory.Full($"b{b:000}-1", t.AddSeconds(b))];
            await store.AppendAsync(batch, CancellationToken.None);
        }

        var read = await store.ListRecentAsync(1000, CancellationToken.None);
        Assert.Equal(750, read.Count);
        Assert.Equal(500 * 3, read.Sum(e => e.Attempts.Length));
        Assert.Equal([750L, 1500L], await QueryAsync(
            "SELECT COUNT(*) FROM requests UNION ALL SELECT COUNT(*) FROM attempts;", r => r.GetInt64(0)));
    }

    [Fact]
    public async Task AppendAsync_AfterAFailedBatch_NextBatchIsWritten()
    {
        var store = (await OpenAsync()).Ledger;
        await store.AppendAsync([LedgerEntryFactory.Full("before")], CancellationToken.None);

        await Assert.ThrowsAsync<PostgresException>(
            async () => await store.AppendAsync([LedgerEntryFactory.Bare("bad") with { Model = null! }], CancellationToken.None));
        await store.AppendAsync([LedgerEntryFactory.Full("after", LedgerEntryFactory.BaseTime.AddSeconds(1))], CancellationToken.None);

        Assert.Equal(["after", "before"], (await store.ListRecentAsync(10, CancellationToken.None)).Select(e => e.Id));
    }

    [Fact]
    public async Task AppendAsync_TwoInstancesOnOneDatabase_EachSeesTheOthersRows()
    {
        var first = (await OpenAsync()).Ledger;
        var second = (await OpenAsync()).Ledger;
        var t = LedgerEntryFactory.BaseTime;

        for (var i = 0; i < 10; i++)
        {
            await first.AppendAsync([LedgerEntryFactory.Full($"first{i}", t.AddSeconds(2 * i))], CancellationToken.None);
            await second.AppendAsync([LedgerEntryFactory.Bare($"second{i}", t.AddSeconds((2 * i) + 1))], CancellationToken.None);
        }

        var fromFirst = await first.ListRecentAsync(100, CancellationToken.None);
        Assert.Equal(20, fromFirst.Count);
        Assert.Equal("second9", fromFirst[0].Id);
        Assert.Equal("first9", (await second.ListRecentAsync(2, CancellationToken.None))[1].Id);
        Assert.Equal(3, (await second.ListRecentAsync(2, CancellationToken.None))[1].Attempts.Length);
    }

    [Fact]
    public async Task FlushAsync_ThroughLedgerWriterWithLongBatchWindow_EntriesReadableAtOnce()
    {
        var store = (await OpenAsync()).Ledger;
        await using var writer = new LedgerWriter(store, TimeProvider.System, new LedgerWriterOptions { BatchWindow = TimeSpan.FromMinutes(1) });

        writer.Enqueue(LedgerEntryFactory.Full("a"));
        writer.Enqueue(LedgerEntryFactory.Bare("b", LedgerEntryFactory.BaseTime.AddSeconds(1)));
        await writer.FlushAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["b", "a"], (await store.ListRecentAsync(10, CancellationToken.None)).Select(e => e.Id));
    }
}
