using Spillway.Core.Ledger;
using Xunit;

namespace Spillway.TestSupport.Ledger;

/// <summary>Retention and paging, run the same way against every <see cref="ILedgerStore"/> (SQLite, PostgreSQL).</summary>
public static class LedgerStoreScenarios
{
    /// <summary>
    /// 25 entries (each with three attempts) before the cutoff, some in the same millisecond, and 5 at or after it:
    /// pruned in batches of 7, the 25 go with their 75 attempts, the 5 stay whole.
    /// </summary>
    /// <param name="store">An initialized, empty store.</param>
    /// <param name="countRows">Counts the rows of <c>requests</c> and of <c>attempts</c> in the store's database.</param>
    public static async Task PruneKeepsOnlyTheNewerEntriesAsync(ILedgerStore store, Func<Task<(long Requests, long Attempts)>> countRows)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(countRows);
        var cutoff = LedgerEntryFactory.BaseTime.AddDays(90);
        var old = Enumerable.Range(0, 25).Select(i => LedgerEntryFactory.Full($"old-{i:00}", LedgerEntryFactory.BaseTime.AddSeconds(i / 2))).ToList();
        var kept = Enumerable.Range(0, 5).Select(i => LedgerEntryFactory.Full($"new-{i}", cutoff.AddSeconds(i))).ToList();
        await store.AppendAsync([.. old.Take(10), kept[0]], CancellationToken.None);
        await store.AppendAsync([.. old.Skip(10), .. kept.Skip(1)], CancellationToken.None);

        var deleted = await store.PruneAsync(cutoff, batchSize: 7, CancellationToken.None);

        Assert.Equal(25, deleted);
        Assert.Equal((5L, 15L), await countRows());
        var left = await store.ListRecentAsync(100, CancellationToken.None);
        Assert.Equal(["new-4", "new-3", "new-2", "new-1", "new-0"], left.Select(e => e.Id));
        Assert.All(left, e => Assert.Equal(3, e.Attempts.Length));
        Assert.Equal(0, await store.PruneAsync(cutoff, batchSize: 7, CancellationToken.None));
    }

    /// <summary>
    /// 20 entries over several batches, many sharing a millisecond: pages of 5 following <see cref="LedgerPage.NextBefore"/>
    /// give every entry exactly once, in the order of <see cref="ILedgerStore.ListRecentAsync"/>, with their attempts,
    /// and the fourth page (exactly the last 5) says there is no more.
    /// </summary>
    public static async Task PagesWalkEveryEntryOnceAsync(ILedgerStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var t = LedgerEntryFactory.BaseTime;
        for (var batch = 0; batch < 4; batch++)
        {
            await store.AppendAsync(
                [.. Enumerable.Range(0, 5).Select(i => (i % 2 == 0 ? LedgerEntryFactory.Full($"e{batch}-{i}", t.AddMilliseconds(batch * 3 + (i / 2))) : LedgerEntryFactory.Bare($"e{batch}-{i}", t.AddMilliseconds(batch * 3 + (i / 2)))))],
                CancellationToken.None);
        }

        var expected = await store.ListRecentAsync(100, CancellationToken.None);
        var walked = new List<LedgerEntry>();
        var pages = 0;
        string? before = null;
        while (true)
        {
            var page = await store.ListPageAsync(5, before, CancellationToken.None);
            Assert.NotNull(page);
            pages++;
            walked.AddRange(page.Entries);
            if (page.NextBefore is not { } next)
            {
                Assert.False(page.HasMore);
                break;
            }

            Assert.Equal(page.Entries[^1].Id, next);
            Assert.True(pages < 10, "the pages never end");
            before = next;
        }

        Assert.Equal(4, pages);
        Assert.Equal(20, expected.Count);
        Assert.Equal(expected.Select(e => e.Id), walked.Select(e => e.Id));
        Assert.Equal(expected.Sum(e => e.Attempts.Length), walked.Sum(e => e.Attempts.Length));
        Assert.Null(await store.ListPageAsync(5, "no-such-entry", CancellationToken.None));
    }
}
