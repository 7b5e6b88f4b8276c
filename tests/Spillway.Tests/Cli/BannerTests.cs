using Spillway.Cli;
using Spillway.Serving;

namespace Spillway.Tests.Cli;

public sealed class BannerTests
{
    [Fact]
    public void StoresLine_Embedded_SaysThisProcessAndTheDataFolder() =>
        Assert.Equal("Stores: live key state in this process; records in the data folder (SQLite).", Banner.StoresLine(StoresInUse.Embedded));

    [Fact]
    public void StoresLine_Shared_NamesTheServersAndAnOutage()
    {
        var stores = new StoresInUse { Redis = "10.0.0.5:6379", RedisAvailable = () => false, Postgres = "db.internal/spillway" };

        var line = Banner.StoresLine(stores);

        Assert.Contains("live key state in Redis at 10.0.0.5:6379 (shared by every instance; UNREACHABLE now", line, StringComparison.Ordinal);
        Assert.Contains("records in PostgreSQL at db.internal/spillway", line, StringComparison.Ordinal);
    }

    [Fact]
    public void StoresLine_PostgresWithoutRedis_WarnsThatLimitsArePerInstance()
    {
        var line = Banner.StoresLine(new StoresInUse { Postgres = "db.internal/spillway" });

        Assert.Contains("WARNING: PostgreSQL without Redis: quotas, cooldowns, breakers and client limits are per instance", line, StringComparison.Ordinal);
        Assert.DoesNotContain("WARNING", Banner.StoresLine(new StoresInUse { Postgres = "db.internal/spillway", Redis = "r:6379" }), StringComparison.Ordinal);
    }
}
