using Spillway.Core.KeyState;

namespace Spillway.Core.Tests.KeyState;

public class InMemoryKeyStateStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private static KeyCooldown Cooldown(TimeSpan after, string? model = null, string reason = "test") =>
        new(T0 + after, "rate_limited", reason, model);

    [Fact]
    public void GetCooldown_NothingSet_Null()
    {
        var store = new InMemoryKeyStateStore();

        Assert.Null(store.GetCooldown("k1", "m1", T0));
    }

    [Fact]
    public void GetCooldown_PerModel_OnlyThatKeyAndModel()
    {
        var store = new InMemoryKeyStateStore();
        var cooldown = Cooldown(TimeSpan.FromMinutes(1), "m1");
        store.SetCooldown("k1", cooldown);

        Assert.Same(cooldown, store.GetCooldown("k1", "m1", T0));
        Assert.Null(store.GetCooldown("k1", "m2", T0));
        Assert.Null(store.GetCooldown("k2", "m1", T0));
    }

    [Fact]
    public void GetCooldown_KeyWide_EveryModelOfTheKey()
    {
        var store = new InMemoryKeyStateStore();
        var cooldown = Cooldown(TimeSpan.FromMinutes(1));
        store.SetCooldown("k1", cooldown);

        Assert.Same(cooldown, store.GetCooldown("k1", "m1", T0));
        Assert.Same(cooldown, store.GetCooldown("k1", "m2", T0));
        Assert.Null(store.GetCooldown("k2", "m1", T0));
    }

    [Fact]
    public void GetCooldown_KeyWideLonger_KeyWideWins()
    {
        var store = new InMemoryKeyStateStore();
        var keyWide = Cooldown(TimeSpan.FromHours(1));
        store.SetCooldown("k1", Cooldown(TimeSpan.FromMinutes(1), "m1"));
        store.SetCooldown("k1", keyWide);

        Assert.Same(keyWide, store.GetCooldown("k1", "m1", T0));
    }

    [Fact]
    public void GetCooldown_PerModelLonger_PerModelWins()
    {
        var store = new InMemoryKeyStateStore();
        var perModel = Cooldown(TimeSpan.FromHours(1), "m1");
        store.SetCooldown("k1", perModel);
        store.SetCooldown("k1", Cooldown(TimeSpan.FromMinutes(1)));

        Assert.Same(perModel, store.GetCooldown("k1", "m1", T0));
        Assert.Equal(T0.AddMinutes(1), store.GetCooldown("k1", "m2", T0)!.Until);
    }

    [Fact]
    public void GetCooldown_KeyWideExpiredPerModelLive_PerModel()
    {
        var store = new InMemoryKeyStateStore();
        var perModel = Cooldown(TimeSpan.FromMinutes(10), "m1");
        store.SetCooldown("k1", Cooldown(TimeSpan.FromMinutes(1)));
        store.SetCooldown("k1", perModel);

        Assert.Same(perModel, store.GetCooldown("k1", "m1", T0.AddMinutes(5)));
        Assert.Null(store.GetCooldown("k1", "m2", T0.AddMinutes(5)));
    }

    [Fact]
    public void SetCooldown_ShorterAfterLonger_KeepsLonger()
    {
        var store = new InMemoryKeyStateStore();
        store.SetCooldown("k1", Cooldown(TimeSpan.FromHours(1), "m1", "day quota"));
        store.SetCooldown("k1", Cooldown(TimeSpan.FromSeconds(30), "m1", "minute limit"));

        var cooldown = store.GetCooldown("k1", "m1", T0);

        Assert.Equal(T0.AddHours(1), cooldown!.Until);
        Assert.Equal("day quota", cooldown.Reason);
    }

    [Fact]
    public void SetCooldown_LongerAfterShorter_Extends()
    {
        var store = new InMemoryKeyStateStore();
        store.SetCooldown("k1", Cooldown(TimeSpan.FromSeconds(30), reason: "minute limit"));
        store.SetCooldown("k1", Cooldown(TimeSpan.FromHours(1), reason: "day quota"));

        var cooldown = store.GetCooldown("k1", "m1", T0);

        Assert.Equal(T0.AddHours(1), cooldown!.Until);
        Assert.Equal("day quota", cooldown.Reason);
    }

    [Fact]
    public void SetCooldown_ShorterKeyWide_LeavesLongerPerModelAlone()
    {
        var store = new InMemoryKeyStateStore();
        store.SetCooldown("k1", Cooldown(TimeSpan.FromHours(1), "m1"));
        store.SetCooldown("k1", Cooldown(TimeSpan.FromSeconds(30)));

        Assert.Equal(T0.AddHours(1), store.GetCooldown("k1", "m1", T0)!.Until);
        Assert.Equal(T0.AddSeconds(30), store.GetCooldown("k1", "m2", T0)!.Until);
    }

    [Fact]
    public void GetCooldown_AtUntil_ExpiredOneTickBeforeLive()
    {
        var store = new InMemoryKeyStateStore();
        var cooldown = Cooldown(TimeSpan.FromMinutes(1), "m1");
        store.SetCooldown("k1", cooldown);

        Assert.Same(cooldown, store.GetCooldown("k1", "m1", cooldown.Until.AddTicks(-1)));
        Assert.Null(store.GetCooldown("k1", "m1", cooldown.Until));
    }

    [Fact]
    public void GetCooldown_Expired_EntryIsDropped()
    {
        var store = new InMemoryKeyStateStore();
        store.SetCooldown("k1", Cooldown(TimeSpan.FromMinutes(1), "m1"));

        Assert.Null(store.GetCooldown("k1", "m1", T0.AddMinutes(2)));

        // Asked about an earlier moment, the store no longer has the entry it found expired.
        Assert.Null(store.GetCooldown("k1", "m1", T0));
        Assert.Empty(store.ActiveCooldowns(T0));
    }

    [Fact]
    public void Clear_Model_EndsOnlyThatModelsCooldown()
    {
        var store = new InMemoryKeyStateStore();
        store.SetCooldown("k1", Cooldown(TimeSpan.FromHours(1), "m1"));
        store.SetCooldown("k1", Cooldown(TimeSpan.FromHours(1), "m2"));

        store.Clear("k1", "m1");

        Assert.Null(store.GetCooldown("k1", "m1", T0));
        Assert.NotNull(store.GetCooldown("k1", "m2", T0));
    }

    [Fact]
    public void Clear_NullModel_EndsKeyWideButNotPerModel()
    {
        var store = new InMemoryKeyStateStore();
        store.SetCooldown("k1", Cooldown(TimeSpan.FromHours(1)));
        store.SetCooldown("k1", Cooldown(TimeSpan.FromMinutes(5), "m1"));

        store.Clear("k1", null);

        Assert.Null(store.GetCooldown("k1", "m2", T0));
        Assert.Equal(T0.AddMinutes(5), store.GetCooldown("k1", "m1", T0)!.Until);
    }

    [Fact]
    public void Clear_NothingSet_NoOp()
    {
        var store = new InMemoryKeyStateStore();

        store.Clear("k1", "m1");

        Assert.Empty(store.ActiveCooldowns(T0));
    }

    [Fact]
    public void ActiveCooldowns_MixedLiveAndExpired_OnlyLiveWithKeyIds()
    {
        var store = new InMemoryKeyStateStore();
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
        var store = new InMemoryKeyStateStore();
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
    }

    [Fact]
    public void GetCooldown_KeyRejectedShorterThanAModelsCooldown_RejectionWins()
    {
        var store = new InMemoryKeyStateStore();
        store.SetCooldown("k1", Cooldown(TimeSpan.FromHours(2), model: "m1"));
        store.SetCooldown("k1", new KeyCooldown(T0.AddMinutes(5), KeyCooldown.RejectedOutcome, "401", null));

        Assert.True(store.GetCooldown("k1", "m1", T0)!.IsRejection);
    }

    [Fact]
    public void Reset_EndsEveryCooldownOfTheKeyOnly_AndForgetsItsRejections()
    {
        var store = new InMemoryKeyStateStore();
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
    }

    [Fact]
    public void CountRejection_CountsInARowUntilForgotten()
    {
        var store = new InMemoryKeyStateStore();

        Assert.Equal(1, store.CountRejection("k1"));
        Assert.Equal(2, store.CountRejection("k1"));
        Assert.Equal(1, store.CountRejection("k2"));
        store.ForgetRejections("k1");
        Assert.Equal(1, store.CountRejection("k1"));
    }

    [Fact]
    public void SetCooldown_NewOrLonger_RaisesCooldownsChangedOnce()
    {
        var store = new InMemoryKeyStateStore();
        var changes = 0;
        store.CooldownsChanged += (_, _) => changes++;

        store.SetCooldown("k1", Cooldown(TimeSpan.FromMinutes(1)));
        store.SetCooldown("k1", Cooldown(TimeSpan.FromMinutes(5)));

        Assert.Equal(2, changes);
    }

    [Fact]
    public void SetCooldown_ShorterThanTheOneInForce_DoesNotRaiseCooldownsChanged()
    {
        var store = new InMemoryKeyStateStore();
        store.SetCooldown("k1", Cooldown(TimeSpan.FromMinutes(5)));
        var changes = 0;
        store.CooldownsChanged += (_, _) => changes++;

        store.SetCooldown("k1", Cooldown(TimeSpan.FromMinutes(1)));

        Assert.Equal(0, changes);
    }

    [Fact]
    public void ClearAndReset_RaiseCooldownsChangedOnlyWhenACooldownWasRemoved()
    {
        var store = new InMemoryKeyStateStore();
        store.SetCooldown("k1", Cooldown(TimeSpan.FromMinutes(5), "m1"));
        store.SetCooldown("k2", Cooldown(TimeSpan.FromMinutes(5)));
        var changes = 0;
        store.CooldownsChanged += (_, _) => changes++;

        store.Clear("k1", "m2");
        store.Reset("k3", T0);
        Assert.Equal(0, changes);

        store.Clear("k1", "m1");
        store.Reset("k2", T0);
        Assert.Equal(2, changes);
    }
}
