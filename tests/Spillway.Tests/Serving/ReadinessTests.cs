using Spillway.Serving;

namespace Spillway.Tests.Serving;

/// <summary>What <c>/readyz</c> decides from the stores in use and the lifetime, check by check.</summary>
public sealed class ReadinessTests
{
    private static readonly LedgerBacklog Writable = new(Queued: 0, Dropped: 4, Capacity: 10_000, StoreFailing: false);

    [Fact]
    public void Of_EmbeddedStoresRunning_ReadyWithConfigLedgerAndShutdownChecksOnly()
    {
        var readiness = Readiness.Of("spillway.yaml", new StoresInUse { Ledger = () => Writable }, stopping: false);

        Assert.True(readiness.Ready);
        Assert.Empty(readiness.Reasons);
        Assert.Equal(["config", "ledger", "shutdown"], readiness.Checks.Select(c => c.Name));
        Assert.All(readiness.Checks, c => Assert.Equal("ok", c.Status));
        Assert.Equal(("source", "spillway.yaml"), Assert.Single(readiness.Checks[0].Facts));
        Assert.Equal([("queued", 0L), ("dropped", 4L)], readiness.Checks[1].Counts);
    }

    [Fact]
    public void Of_RedisUnreachable_NotReadyNamingItsAddressAndWhatThatMeans()
    {
        var stores = new StoresInUse { Redis = "127.0.0.1:6379", RedisAvailable = static () => false, Ledger = () => Writable };

        var readiness = Readiness.Of("test", stores, stopping: false);

        Assert.False(readiness.Ready);
        Assert.Equal("unreachable", readiness.Checks.Single(c => c.Name == "redis").Status);
        var reason = Assert.Single(readiness.Reasons);
        Assert.StartsWith("redis 127.0.0.1:6379 is unreachable: quotas, cooldowns", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_PostgresUnreachableAndLedgerFailing_BothReasonsInOrder()
    {
        var stores = new StoresInUse
        {
            Postgres = "spillway@db.internal:5432/spillway",
            PostgresAvailable = static () => false,
            Ledger = static () => new LedgerBacklog(Queued: 1, Dropped: 0, Capacity: 5, StoreFailing: true),
        };

        var readiness = Readiness.Of("test", stores, stopping: false);

        Assert.Equal(
            [
                "postgresql spillway@db.internal:5432/spillway is unreachable: ledger entries are buffered in memory (at most 5) until it answers",
                "the ledger store cannot be written: 1 entry waits in memory; beyond 5 waiting, new entries are dropped (0 so far)",
            ],
            readiness.Reasons);
        Assert.Equal("unwritable", readiness.Checks.Single(c => c.Name == "ledger").Status);
    }

    [Fact]
    public void Of_StoresAnswerButStopping_NotReadyShuttingDown()
    {
        var stores = new StoresInUse
        {
            Redis = "127.0.0.1:6379",
            RedisAvailable = static () => true,
            Postgres = "spillway@db.internal:5432/spillway",
            PostgresAvailable = static () => true,
            Ledger = () => Writable,
        };

        var readiness = Readiness.Of("test", stores, stopping: true);

        Assert.False(readiness.Ready);
        Assert.Equal(["config", "redis", "postgres", "ledger", "shutdown"], readiness.Checks.Select(c => c.Name));
        Assert.Equal("stopping", readiness.Checks[^1].Status);
        Assert.StartsWith("shutting down", Assert.Single(readiness.Reasons), StringComparison.Ordinal);
    }
}
