using Spillway.Serving;

namespace Spillway.Tests.Serving;

public sealed class StoresInUseTests
{
    [Fact]
    public void Problems_LedgerWrittenWithPastDrops_None()
    {
        var stores = new StoresInUse();

        Assert.Empty(stores.Problems(new LedgerBacklog(Queued: 0, Dropped: 7, Capacity: 10_000, StoreFailing: false)));
    }

    [Fact]
    public void Problems_SqliteLedgerFailing_NamesTheDataFolderWhatWaitsAndWhatWasDropped()
    {
        var stores = new StoresInUse();

        var problem = Assert.Single(stores.Problems(new LedgerBacklog(Queued: 12, Dropped: 3, Capacity: 10_000, StoreFailing: true)));

        Assert.Equal(
            "the ledger cannot be written to the data folder's SQLite file: 12 entries wait in memory and are written once it can be; beyond 10000 waiting, new entries are dropped (3 so far)",
            problem);
    }

    [Fact]
    public void Problems_PostgresUnreachableAndLedgerFailing_BothSaid()
    {
        var stores = new StoresInUse { Postgres = "spillway@db.internal:5432/spillway", PostgresAvailable = static () => false };

        var problems = stores.Problems(new LedgerBacklog(Queued: 1, Dropped: 0, Capacity: 5, StoreFailing: true));

        Assert.Equal(2, problems.Count);
        Assert.StartsWith("PostgreSQL at spillway@db.internal:5432/spillway is unreachable", problems[0], StringComparison.Ordinal);
        Assert.StartsWith("the ledger cannot be written to PostgreSQL at spillway@db.internal:5432/spillway: 1 entry waits in memory", problems[1], StringComparison.Ordinal);
    }
}
