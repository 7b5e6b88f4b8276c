using Microsoft.Extensions.Time.Testing;
using Spillway.Core.KeyState;
using Spillway.Storage.Redis.Tests.Support;

namespace Spillway.Storage.Redis.Tests;

/// <summary>
/// The behaviour every key state store owes the engine (the InMemoryKeyStateStore tests, one for one), on a
/// <see cref="RedisKeyStateStore"/> connected to a real Redis: its mirror answers as the embedded store does.
/// </summary>
public sealed class RedisKeyStateStoreTests(RedisTestServer redis) : IClassFixture<RedisTestServer>
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private static KeyCooldown Cooldown(TimeSpan after, string? model = null, string reason = "test") =>
        new(T0 + after, "rate_limited", reason, model);

    private Task<KeyStateInstance> StartAsync(string? prefix = null) =>
        KeyStateInstance.StartAsync(redis.Server.Configuration, prefix ?? RedisTestServer.FreshPrefix(), new FakeTimeProvider(T0));

    [Fact]
    public async Task GetCooldown_NothingSet_Null()
    {
        await using var instance = await StartAsync();
        var store = instance.Store;

        Assert.Null(store.GetCooldown("k1", "m1", T0));
    }

    [Fact]
    public async Task GetCooldown_PerModel_OnlyThatKeyAndModel()
    {
        await using var instance = await StartAsync();
        var store = instance.Store;
        var cooldown = Cooldown(TimeSpan.FromMinutes(1), "m1");
        store.SetCooldown("k1", cooldown);

        Assert.Same(cooldown, store.GetCooldown("k1", "m1", T0));
        Assert.Null(store.GetCooldown("k1", "m2", T0));
        Assert.Null(store.GetCooldown("k2", "m1", T0));
    }

    [Fact]
    public async Task GetCooldown_KeyWide_EveryModelOfTheKey()
    {
        await using var instance = await StartAsync();
        var store = instance.Store;
        var cooldown = Cooldown(TimeSpan.FromMinutes(1));
        store.SetCooldown("k1", cooldown);

        Assert.Same(cooldown, store.GetCooldown("k1", "m1", T0));
        Assert.Same(cooldown, store.GetCooldown("k1", "m2", T0));
        Assert.Null(store.GetCooldown("k2", "m1", T0));
    }

    [Fact]
    public async Task GetCooldown_KeyWideLonger_KeyWideWins()
    {
        await using var instance = await StartAsync();
        var store = instance.Store;
        var keyWide = Cooldown(TimeSpan.FromHours(1));
        store.SetCooldown("k1", Cooldown(TimeSpan.FromMinutes(1), "m1"));
        store.SetCooldown("k1", keyWide);

        Assert.Same(keyWide, store.GetCooldown("k1", "m1", T0));
    }

    [Fact]
    public async Task GetCooldown_PerModelLonger_PerModelWins()
    {
        await using var instance = await StartAsync();
        var store = instance.Store;
        var perModel = Cooldown(TimeSpan.FromHours(1), "m1");
        store.SetCooldown("k1", perModel);
        store.SetCooldown("k1", Cooldown(TimeSpan.FromMinutes(1)));

        Assert.Same(perModel, store.GetCooldown("k1", "m1", T0));
        Assert.Equal(T0.AddMinutes(1), store.GetCooldown("k1", "m2", T0)!.Until);
    }

    [Fact]
    public async Task GetCooldown_KeyWideExpiredPerModelLive_PerModel()
    {
        await using var instance = await StartAsync();
        var store = instance.Store;
        var perModel = Cooldown(TimeSpan.FromMinutes(10), "m1");
        store.SetCooldown("k1", Cooldown(TimeSpan.FromMinutes(1)));
        store.SetCooldown("k1", perModel);

        Assert.Same(perModel, store.GetCooldown("k1", "m1", T0.AddMinutes(5)));
        Assert.Null(store.GetCooldown("k1", "m2", T0.AddMinutes(5)));
    }

    [Fact]
    public async Task SetCooldown_ShorterAfterLonger_KeepsLonger()
    {
        await using var instance = await StartAsync();
        var store = instance.Store;
        store.SetCooldown("k1", Cooldown(TimeSpan.FromHours(1), "m1", "day quota"));
        store.SetCooldown("k1", Cooldown(TimeSpan.FromSeconds(30), "m1", "minute limit"));

        var cooldown = store.GetCooldown("k1", "m1", T0);

        Assert.Equal(T0.AddHours(1), cooldown!.Until);
        Assert.Equal("day quota", cooldown.Reason);
    }

    [Fact]
    public async Task SetCooldown_LongerAfterShorter_Extends()
    {
        await using var instance = await StartAsync();
        var store = instance.Store;
        store.SetCooldown("k1", Cooldown(TimeSpan.FromSeconds(30), reason: "minute limit"));
        store.SetCooldown("k1", Cooldown(TimeSpan.FromHours(1), reason: "day quota"));

        var cooldown = store.GetCooldown("k1", "m1", T0);

        Assert.Equal(T0.AddHours(1), cooldown!.Until);
        Assert.Equal("day quota", cooldown.Reason);
    }

    [Fact]
    public async Task SetCooldown_ShorterKeyWide_LeavesLongerPerModelAlone()
    {
        await using var instance = await StartAsync();
        var store = instance.Store;
        store.SetCooldown("k1", Cooldown(TimeSpan.FromHours(1), "m1"));
        store.SetCooldown("k1", Cooldown(TimeSpan.FromSeconds(30)));

        Assert.Equal(T0.AddHours(1), store.GetCooldown("k1", "m1", T0)!.Until);
        Assert.Equal(T0.AddSeconds(30), store.GetCooldown("k1", "m2", T0)!.Until);
    }

    [Fact]
    public async Task GetCooldown_AtUntil_ExpiredOneTickBeforeLive()
    {
        await using var instance = await StartAsync();
        var store = instance.Store;
        var cooldown = Cooldown(TimeSpan.FromMinutes(1), "m1");
        store.SetCooldown("k1", cooldown);

        Assert.Same(cooldown, store.GetCooldown("k1", "m1", cooldown.Until.AddTicks(-1)));
        Assert.Null(store.GetCooldown("k1", "m1", cooldown.Until));
    }

    [Fact]
    public async Task GetCooldown_Expired_EntryIsDropped()
    {
        await using var instance = await StartAsync();
        var store = instance.Store;
        store.SetCooldown("k1", Cooldown(TimeSpan.FromMinutes(1), "m1"));

        Assert.Null(store.GetCooldown("k1", "m1", T0.AddMinutes(2)));

        // Asked about an earlier moment, the store no longer has the entry it found expired.
        Assert.Null(store.GetCooldown("k1", "m1", T0));
        Assert.Empty(store.ActiveCooldowns(T0));
    }

    [Fact]
    public async Task Clear_Model_EndsOnlyThatModelsCooldown()
    {
        await using var instance = await StartAsync();
        var store = instance.Store;
        store.SetCooldown("k1", Cooldown(TimeSpan.FromHours(1), "m1"));
        store.SetCooldown("k1", Cooldown(TimeSpan.FromHours(1), "m2"));

        store.Clear("k1", "m1");

        Assert.Null(store.GetCooldown("k1", "m1", T0));
        Assert.NotNull(store.GetCooldown("k1", "m2", T0));
    }

    [Fact]
    public async Task Clear_NullModel_EndsKeyWideButNotPerModel()
    {
        await using var instance = await StartAsync();
        var store = instance.Store;
        store.SetCooldown("k1", Cooldown(TimeSpan.FromHours(1)));
        store.SetCooldown("k1", Cooldown(TimeSpan.FromMinutes(5), "m1"));

        store.Clear("k1", null);

        Assert.Null(store.GetCooldown("k1", "m2", T0));
        Assert.Equal(T0.AddMinutes(5), store.GetCooldown("k1", "m1", T0)!.Until);
    }

    [Fact]
    public async Task Clear_NothingSet_NoOp()
    {
        await using var instance = await StartAsync();
        var store = instance.Store;

        store.Clear("k1", "m1");

        Assert.Empty(store.ActiveCooldowns(T0));
    }

    [Fact]
    public async Task ActiveCooldowns_MixedLiveAndExpired_OnlyLiveWithKeyIds()
    {
        await using var instance = await StartAsync();
        var store = instance.Store;
        var live1 = Cooldown(TimeSpan.FromMinutes(10), "m1");
        var live2 = Cooldown(TimeSpan.FromHours(1));
        store.SetCooldown("k1", live1);
        store.SetCooldown("k2", live2);
        store.SetCooldown("k3", Cooldown(TimeSpan.FromMinutes(1), "m1"));
        store.SetCooldown("k1", Cooldown(TimeSpan.FromMinutes(5)));

        var active = store.ActiveCooldowns(T0.AddMinutes(5));

        Assert.Equal(
            [("k1", live1), ("k2", live2)],
            active.OrderBy(a => a.KeyId, StringComparer.Ordinal).Select(a => (a.KeyId, a.Cooldown)));
    }

    [Fact]
    public async Task SetCooldown_ConcurrentWriters_LongestWins()
    {
        var prefix = RedisTestServer.FreshPrefix();
        await using var instance = await StartAsync(prefix);
        var store = instance.Store;
        var seconds = Enumerable.Range(1, 2000).Select(i => (i * 7919) % 2000 + 1).ToArray();
        using var start = new ManualResetEventSlim();

        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(() =>
        {
            start.Wait();
            for (var i = w; i < seconds.Length; i += 8)
            {
                var s = seconds[i];
                store.SetCooldown("k1", Cooldown(TimeSpan.FromSeconds(s), "m1", "wait " + s));
                store.SetCooldown("k1", Cooldown(TimeSpan.FromSeconds(s), null, "wait " + s));
            }
        })).ToArray();
        start.Set();
        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(30));

        var perModel = store.GetCooldown("k1", "m1", T0);
        Assert.Equal(T0.AddSeconds(2000), perModel!.Until);
        Assert.Equal("wait 2000", perModel.Reason);
        Assert.Equal(2, store.ActiveCooldowns(T0).Count);
        Assert.All(store.ActiveCooldowns(T0), a => Assert.Equal(T0.AddSeconds(2000), a.Cooldown.Until));

        // Redis kept the longest too: an instance started now loads it.
        await store.FlushAsync();
        await using var later = await StartAsync(prefix);
        Assert.Equal(perModel, later.Store.GetCooldown("k1", "m1", T0));
        Assert.Equal(T0.AddSeconds(2000), later.Store.GetCooldown("k1", "m2", T0)!.Until);
    }

    [Fact]
    public async Task GetCooldown_KeyRejectedShorterThanAModelsCooldown_RejectionWins()
    {
        await using var instance = await StartAsync();
        var store = instance.Store;
        store.SetCooldown("k1", Cooldown(TimeSpan.FromHours(2), model: "m1"));
        store.SetCooldown("k1", new KeyCooldown(T0.AddMinutes(5), KeyCooldown.RejectedOutcome, "401", null));

        Assert.True(store.GetCooldown("k1", "m1", T0)!.IsRejection);
    }

    [Fact]
    public async Task Reset_EndsEveryCooldownOfTheKeyOnly_AndForgetsItsRejections()
    {
        await using var instance = await StartAsync();
        var store = instance.Store;
        store.SetCooldown("k1", Cooldown(TimeSpan.FromMinutes(1)));
        store.SetCooldown("k1", Cooldown(TimeSpan.FromMinutes(1), model: "m1"));
        store.SetCooldown("k2", Cooldown(TimeSpan.FromMinutes(1)));
        store.CountRejection("k1");
        store.CountRejection("k1");

        var ended = store.Reset("k1", T0);

        Assert.Equal(2, ended);
        Assert.Null(store.GetCooldown("k1", "m1", T0));
        Assert.NotNull(store.GetCooldown("k2", "m1", T0));
        Assert.Equal(1, store.CountRejection("k1"));

        // Redis' answers to the counts before the reset do not bring the old count back.
        await store.FlushAsync();
        Assert.Equal(1, store.RejectionsInARow("k1"));
    }

    [Fact]
    public async Task CountRejection_CountsInARowUntilForgotten()
    {
        await using var instance = await StartAsync();
        var store = instance.Store;

        Assert.Equal(1, store.CountRejection("k1"));
        Assert.Equal(2, store.CountRejection("k1"));
        Assert.Equal(1, store.CountRejection("k2"));
        store.ForgetRejections("k1");
        Assert.Equal(1, store.CountRejection("k1"));

        await store.FlushAsync();
        Assert.Equal(1, store.RejectionsInARow("k1"));
        Assert.Equal(1, store.RejectionsInARow("k2"));
    }
}
