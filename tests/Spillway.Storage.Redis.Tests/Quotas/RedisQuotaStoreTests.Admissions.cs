using System.Text.RegularExpressions;
using Spillway.Core.KeyState;
using Spillway.Core.Providers;
using StackExchange.Redis;

namespace Spillway.Storage.Redis.Tests.Quotas;

/// <summary>Admissions of one scope that arrive while one is on its way go together in the next script.</summary>
public sealed partial class RedisQuotaStoreTests
{
    [Fact]
    public async Task TryAdmitAsync_AdmissionsArrivingWhileOneIsOnItsWay_GoTogetherAndStillHoldTheLimitExactly()
    {
        var rules = Rules(new KeyLimits(Rpm: 4));
        await using var admin = await redis.AdminAsync();
        var database = await PausedAsync(admin);

        // The first goes at once and waits in the paused Redis; the five after it wait on this instance.
        var admissions = Enumerable.Range(0, 6).Select(_ => AdmitAsync(_store, rules, null).AsTask()).ToList();
        await database.ExecuteAsync("CLIENT", "UNPAUSE");
        var decisions = await Task.WhenAll(admissions);

        Assert.Equal(4, decisions.Count(decision => decision.Admitted));
        Assert.All(decisions.Where(decision => !decision.Admitted), decision => Assert.Equal(QuotaMeasure.Rpm, decision.Measure));
        Assert.True(decisions[0].Admitted);
        Assert.Equal(2, await ScriptCallsAsync(database));
        Assert.Equal(0, _store.Figures(Key, rules, Now)[QuotaMeasure.Rpm].Remaining);
    }

    [Fact]
    public async Task TryAdmitAsync_CallerGivesUpBeforeItsTurn_ItsAdmissionNeverReachesRedis()
    {
        var rules = Rules(new KeyLimits(Rpm: 4));
        await using var admin = await redis.AdminAsync();
        var database = await PausedAsync(admin);
        var first = AdmitAsync(_store, rules, null).AsTask();
        using var cancel = new CancellationTokenSource();
        var second = _store.TryAdmitAsync(Key, rules, null, Now, cancel.Token).AsTask();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
        await database.ExecuteAsync("CLIENT", "UNPAUSE");
        Assert.True((await first).Admitted);
        Assert.Equal(1, await ScriptCallsAsync(database));
        Assert.Equal(3, _store.Figures(Key, rules, Now)[QuotaMeasure.Rpm].Remaining);
    }

    /// <summary>Resets Redis' statistics and pauses its writes (scripts included) until <c>CLIENT UNPAUSE</c>.</summary>
    private static async Task<IDatabase> PausedAsync(IConnectionMultiplexer admin)
    {
        var database = admin.GetDatabase();
        await database.ExecuteAsync("CONFIG", "RESETSTAT");
        await database.ExecuteAsync("CLIENT", "PAUSE", "10000", "WRITE");
        return database;
    }

    /// <summary>How many scripts Redis ran since its statistics were reset.</summary>
    private static async Task<long> ScriptCallsAsync(IDatabase database)
    {
        var statistics = (string)(await database.ExecuteAsync("INFO", "commandstats"))!;
        return Regex.Matches(statistics, @"cmdstat_eval(?:sha)?:calls=(\d+)").Sum(match => long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
    }
}
