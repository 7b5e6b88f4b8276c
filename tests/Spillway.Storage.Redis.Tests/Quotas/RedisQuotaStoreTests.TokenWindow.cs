using Spillway.Core.KeyState;
using Spillway.Core.Providers;
using StackExchange.Redis;

namespace Spillway.Storage.Redis.Tests.Quotas;

/// <summary>The tpm window's kept total: what an admission reads instead of every call of the last minute.</summary>
public sealed partial class RedisQuotaStoreTests
{
    private string TokenEntries => _prefix + "quota:{k1|}:tpm";

    private string TokenAmounts => _prefix + "quota:{k1|}:tpm:amt";

    [Fact]
    public async Task TryAdmitAsync_TokenWindowOfManyCalls_ReadsItsKeptTotalNotItsEntries()
    {
        var rules = Rules(new KeyLimits(Tpm: 1_000_000));
        for (var i = 0; i < 200; i++)
        {
            Assert.True((await AdmitAsync(_store, rules, 10)).Admitted);
        }

        await using var admin = await redis.AdminAsync();
        await admin.GetDatabase().ExecuteAsync("CONFIG", "RESETSTAT");

        Assert.True((await AdmitAsync(_store, rules, 10)).Admitted);

        // Commands a script runs are in Redis' own statistics: no read of the window's entries or their amounts.
        var statistics = (string)(await admin.GetDatabase().ExecuteAsync("INFO", "commandstats"))!;
        Assert.DoesNotContain("cmdstat_zrange:", statistics, StringComparison.Ordinal);
        Assert.DoesNotContain("cmdstat_hmget:", statistics, StringComparison.Ordinal);
        Assert.Equal(1_000_000 - 2010, _store.Figures(Key, rules, Now)[QuotaMeasure.Tpm].Remaining);
    }

    [Fact]
    public async Task TryAdmitAsync_TokensLeaveTheWindow_TheKeptTotalLosesThem()
    {
        var rules = Rules(new KeyLimits(Tpm: 1000));
        Assert.True((await AdmitAsync(_store, rules, 700)).Admitted);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.True((await AdmitAsync(_store, rules, 200)).Admitted);
        Assert.False((await AdmitAsync(_store, rules, 200)).Admitted);

        _time.Advance(TimeSpan.FromSeconds(31));

        Assert.True((await AdmitAsync(_store, rules, 800)).Admitted);
        Assert.False((await AdmitAsync(_store, rules, 1)).Admitted);
        await using var admin = await redis.AdminAsync();
        Assert.Equal(1000, (long)await admin.GetDatabase().HashGetAsync(TokenAmounts, "#sum"));
    }

    [Fact]
    public async Task TryAdmitAsync_TokenWindowWithoutItsKeptTotal_SumsItOnceThenKeepsIt()
    {
        var rules = Rules(new KeyLimits(Tpm: 1000));
        foreach (var tokens in new[] { 100L, 200, 300 })
        {
            Assert.True((await AdmitAsync(_store, rules, tokens)).Admitted);
        }

        // As a window written before the total was kept (an instance of an earlier version) has it.
        await using var admin = await redis.AdminAsync();
        await admin.GetDatabase().HashDeleteAsync(TokenAmounts, "#sum");

        Assert.True((await AdmitAsync(_store, rules, 300)).Admitted);
        Assert.False((await AdmitAsync(_store, rules, 200)).Admitted);
        Assert.Equal(900, (long)await admin.GetDatabase().HashGetAsync(TokenAmounts, "#sum"));
    }

    [Fact]
    public async Task TryAdmitAsync_MoreCallsLeaveTheTokenWindowAtOnceThanLuaCanUnpack_PrunesThemAllAndStaysShared()
    {
        // Ten thousand calls of a busy minute, then a quiet one: Lua's unpack takes a few thousand values at most.
        const int Calls = 10_000;
        var rules = Rules(new KeyLimits(Tpm: 1000));
        Assert.True((await AdmitAsync(_store, rules, 1)).Admitted);
        await using var admin = await redis.AdminAsync();
        var database = admin.GetDatabase();
        var at = Now.ToUnixTimeMilliseconds();
        await database.SortedSetAddAsync(TokenEntries, [.. Enumerable.Range(0, Calls).Select(i => new SortedSetEntry("old" + i, at))]);
        await database.HashSetAsync(TokenAmounts, [.. Enumerable.Range(0, Calls).Select(i => new HashEntry("old" + i, 5)), new HashEntry("#sum", (Calls * 5) + 1)]);
        _time.Advance(TimeSpan.FromSeconds(61));

        Assert.True((await AdmitAsync(_store, rules, 1000)).Admitted);

        Assert.Equal(1, await database.SortedSetLengthAsync(TokenEntries));
        Assert.Equal(2, await database.HashLengthAsync(TokenAmounts));
        Assert.Equal(1000, (long)await database.HashGetAsync(TokenAmounts, "#sum"));
        Assert.Equal(0, _store.Fallbacks);
    }
}
