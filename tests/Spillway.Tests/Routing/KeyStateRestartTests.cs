using static Spillway.Tests.Endpoints.OpenAIEndpointsFallbackTests;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Spillway.Core.Engine;
using Spillway.Core.Providers;
using Spillway.Simulator;
using Spillway.Storage.Sqlite;
using Spillway.TestSupport;
using Spillway.Tests.Support;

namespace Spillway.Tests.Routing;

/// <summary>Cooldowns and daily counters survive a restart on the same data folder. Provider "a" plays Gemini,
/// which states no rate-limit headers, so its known requests per day is the configured 1.</summary>
public sealed class KeyStateRestartTests : IDisposable
{
    private readonly TempDirectory _data = new(create: false);

    [Fact]
    public async Task SpentDailyQuota_AfterARestart_KeyIsSkippedWithoutACall()
    {
        var time = new FakeTimeProvider(KeyQuotaTests.Start);
        await using (var before = await StartAsync(time))
        {
            using var served = await before.ChatAsync("chain");
            Assert.Equal("a/gemini-2.5-flash", Header(served, SpillwayHeaders.Route));
        }

        time.Advance(TimeSpan.FromMinutes(5));
        await using var after = await StartAsync(time);
        using var response = await after.ChatAsync("chain");

        Assert.Equal("b/gpt-4o-mini", Header(response, SpillwayHeaders.Route));
        Assert.Equal(0, after["a"].CallCount);
        var newest = (await after.LedgerAsync(1))[0];
        Assert.Equal(["skipped_quota", "ok"], Outcomes(newest));
        Assert.StartsWith("rpd 0 of 1 left", newest.GetProperty("attempts")[0].GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SpentDailyQuota_AfterTheDayResets_KeyIsCalledAgain()
    {
        var time = new FakeTimeProvider(KeyQuotaTests.Start);
        await using (var before = await StartAsync(time))
        {
            using var served = await before.ChatAsync("chain");
        }

        time.Advance(TimeSpan.FromDays(1));
        await using var after = await StartAsync(time);
        using var response = await after.ChatAsync("chain");

        Assert.Equal("a/gemini-2.5-flash", Header(response, SpillwayHeaders.Route));
    }

    [Fact]
    public async Task CooledKey_AfterARestart_IsStillSkipped()
    {
        var time = new FakeTimeProvider(KeyQuotaTests.Start);
        await using (var before = await StartAsync(time))
        {
            before["a"].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromMinutes(10)));
            using var fellBack = await before.ChatAsync("chain");
            Assert.Equal("b/gpt-4o-mini", Header(fellBack, SpillwayHeaders.Route));
        }

        await using var after = await StartAsync(time);
        using var response = await after.ChatAsync("chain");

        Assert.Equal("b/gpt-4o-mini", Header(response, SpillwayHeaders.Route));
        Assert.Equal(0, after["a"].CallCount);
        Assert.Equal(["skipped_cooldown", "ok"], Outcomes((await after.LedgerAsync(1))[0]));
    }

    [Fact]
    public async Task CooledKey_CrashRightAfterThe429_IsStillSkippedAfterARestart()
    {
        // The clock stands still, so the periodic save never runs: only the save made when the cooldown is set can
        // put it on disk. The "crash" is a copy of the database as committed, taken while the first gateway still runs
        // (what a kill -9 leaves behind: the save at shutdown never happens for the copy).
        var time = new FakeTimeProvider(KeyQuotaTests.Start);
        using var crashed = new TempDirectory();
        await using (var before = await StartAsync(time))
        {
            before["a"].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromHours(1)));
            using var fellBack = await before.ChatAsync("chain");
            Assert.Equal("b/gpt-4o-mini", Header(fellBack, SpillwayHeaders.Route));

            await CooldownOnDiskAsync(_data.Path, "a-key");
            CopyDatabase(_data.Path, crashed.Path);
        }

        await using var after = await StartAsync(time, dataDirectory: crashed.Path);
        using var response = await after.ChatAsync("chain");

        Assert.Equal("b/gpt-4o-mini", Header(response, SpillwayHeaders.Route));
        Assert.Equal(0, after["a"].CallCount);
        Assert.Equal(["skipped_cooldown", "ok"], Outcomes((await after.LedgerAsync(1))[0]));
    }

    [Fact]
    public async Task RejectedKey_AfterARestart_IsCheckedAgainAtOnce()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero));
        await using (var before = await StartAsync(time))
        {
            before["a"].Enqueue(SimulatedFault.Unauthorized());
            using var fellBack = await before.ChatAsync("chain");
            using var skipped = await before.ChatAsync("chain");
            Assert.Equal(1, before["a"].CallCount);
        }

        await using var after = await StartAsync(time);
        using var response = await after.ChatAsync("chain");

        Assert.Equal("a/gemini-2.5-flash", Header(response, SpillwayHeaders.Route));
    }

    [Fact]
    public async Task RateLimitedKey_AfterARestartWithANewSecret_IsCalledAgain()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero));
        await using (var before = await StartAsync(time))
        {
            before["a"].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromMinutes(10)));
            using var fellBack = await before.ChatAsync("chain");
        }

        await using var replaced = await StartAsync(time, new Secret("sk-a-new-secret-after-rotation-9876"));
        using var response = await replaced.ChatAsync("chain");

        Assert.Equal("a/gemini-2.5-flash", Header(response, SpillwayHeaders.Route));
    }

    public void Dispose()
    {
        _data.Dispose();
    }

    /// <summary>Waits (a bounded number of looks) until the database of <paramref name="dataDirectory"/> holds a cooldown of <paramref name="keyId"/>.</summary>
    private static async Task CooldownOnDiskAsync(string dataDirectory, string keyId)
    {
        using var archive = new SqliteKeyStateArchive(dataDirectory);
        for (var tries = 0; !(await archive.LoadAsync(CancellationToken.None)).Cooldowns.Any(c => c.KeyId == keyId); tries++)
        {
            Assert.True(tries < 200, "the cooldown of " + keyId + " was not saved");
            await Task.Delay(25);
        }
    }

    /// <summary>Copies the committed content of the data folder's database into <paramref name="to"/> (SQLite's online backup).</summary>
    private static void CopyDatabase(string from, string to)
    {
        using var source = new SqliteConnection($"Data Source={Path.Combine(from, SqliteLedgerStore.FileName)};Pooling=False");
        using var target = new SqliteConnection($"Data Source={Path.Combine(to, SqliteLedgerStore.FileName)};Pooling=False");
        source.Open();
        target.Open();
        source.BackupDatabase(target);
    }

    private Task<TestGateway> StartAsync(TimeProvider time, Secret? secret = null, string? dataDirectory = null) => TestGateway.StartAsync(
        [new SimulatedProvider("a", SimulatorStyle.GeminiOpenAICompat), new SimulatedProvider("b")],
        (_, config) =>
        {
            config = KeyQuotaTests.WithLimits(config, "a", new KeyLimits(Rpd: 1));
            return secret is null ? config : config with
            {
                Providers = [.. config.Providers.Select(p => p.Id == "a" ? p with { Keys = [p.Keys[0] with { Value = secret }] } : p)],
            };
        },
        time,
        dataDirectory: dataDirectory ?? _data.Path);
}
