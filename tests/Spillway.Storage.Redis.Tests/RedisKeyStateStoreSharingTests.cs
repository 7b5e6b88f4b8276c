using Microsoft.Extensions.Time.Testing;
using Spillway.Core.KeyState;
using Spillway.Storage.Redis.Tests.Support;
using StackExchange.Redis;

namespace Spillway.Storage.Redis.Tests;

/// <summary>Several instances (each its own connection and store) sharing key state through one real Redis.</summary>
public sealed class RedisKeyStateStoreSharingTests(RedisTestServer redis) : IClassFixture<RedisTestServer>
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private readonly string _prefix = RedisTestServer.FreshPrefix();
    private readonly FakeTimeProvider _time = new(T0);

    private static KeyCooldown Cooldown(TimeSpan after, string? model = null, string reason = "test") =>
        new(T0 + after, "quota_exhausted", reason, model);

    [Fact]
    public async Task SetCooldown_OnA_SeenByBAndC()
    {
        await using var a = await StartAsync();
        await using var b = await StartAsync();
        await using var c = await StartAsync();
        var cooldown = new KeyCooldown(T0.AddMinutes(7).AddTicks(3), "quota_exhausted", "day: quota\nspent", "meta/llama:free");

        a.Store.SetCooldown("key:1", cooldown);
        await a.Store.FlushAsync();

        Assert.True(await Eventually.TrueAsync(() => b.Store.GetCooldown("key:1", "meta/llama:free", T0) is not null));
        Assert.True(await Eventually.TrueAsync(() => c.Store.GetCooldown("key:1", "meta/llama:free", T0) is not null));
        Assert.Equal(cooldown, b.Store.GetCooldown("key:1", "meta/llama:free", T0));
        Assert.Equal(cooldown, c.Store.GetCooldown("key:1", "meta/llama:free", T0));
        Assert.Null(b.Store.GetCooldown("key:1", "other", T0));
    }

    [Fact]
    public async Task SetCooldown_ShorterOnBAfterLongerOnA_LongerKeptEverywhere()
    {
        await using var a = await StartAsync();
        await using var b = await StartAsync();
        a.Store.SetCooldown("k1", Cooldown(TimeSpan.FromHours(1), "m1", "day quota"));
        await a.Store.FlushAsync();

        // B sets its shorter one whether or not A's message has reached it yet: Redis keeps the longer.
        b.Store.SetCooldown("k1", Cooldown(TimeSpan.FromSeconds(30), "m1", "minute limit"));
        await b.Store.FlushAsync();

        // B's message came after its write: once a later marker from B reached A, so had the shorter cooldown.
        b.Store.SetCooldown("marker", Cooldown(TimeSpan.FromMinutes(1)));
        await b.Store.FlushAsync();
        Assert.True(await Eventually.TrueAsync(() => a.Store.GetCooldown("marker", "m1", T0) is not null));
        Assert.Equal("day quota", a.Store.GetCooldown("k1", "m1", T0)!.Reason);
        Assert.True(await Eventually.TrueAsync(() => b.Store.GetCooldown("k1", "m1", T0)?.Reason == "day quota"));
        await using var d = await StartAsync();
        Assert.Equal(T0.AddHours(1), d.Store.GetCooldown("k1", "m1", T0)!.Until);
        Assert.Equal("day quota", d.Store.GetCooldown("k1", "m1", T0)!.Reason);
    }

    [Fact]
    public async Task Reset_OnB_ClearsEverywhere()
    {
        await using var a = await StartAsync();
        await using var b = await StartAsync();
        await using var c = await StartAsync();
        a.Store.SetCooldown("k1", Cooldown(TimeSpan.FromHours(1)));
        a.Store.SetCooldown("k1", Cooldown(TimeSpan.FromHours(2), "m1"));
        a.Store.SetCooldown("k2", Cooldown(TimeSpan.FromHours(1)));
        a.Store.CountRejection("k1");
        await a.Store.FlushAsync();
        Assert.True(await Eventually.TrueAsync(() => b.Store.ActiveCooldowns(T0).Count == 3 && b.Store.RejectionsInARow("k1") == 1));
        Assert.True(await Eventually.TrueAsync(() => c.Store.ActiveCooldowns(T0).Count == 3));

        Assert.Equal(2, b.Store.Reset("k1", T0));
        await b.Store.FlushAsync();

        Assert.True(await Eventually.TrueAsync(() => a.Store.GetCooldown("k1", "m1", T0) is null && a.Store.RejectionsInARow("k1") == 0));
        Assert.True(await Eventually.TrueAsync(() => c.Store.GetCooldown("k1", "m1", T0) is null));
        Assert.NotNull(a.Store.GetCooldown("k2", "m1", T0));
        Assert.False(await b.Connection.Database.KeyExistsAsync(_prefix + "keystate:k1"));
        await using var d = await StartAsync();
        Assert.Null(d.Store.GetCooldown("k1", "m1", T0));
        Assert.Equal(0, d.Store.RejectionsInARow("k1"));
        Assert.NotNull(d.Store.GetCooldown("k2", "m1", T0));
    }

    [Fact]
    public async Task Clear_OnA_ClearsThatCooldownOnB()
    {
        await using var a = await StartAsync();
        await using var b = await StartAsync();
        a.Store.SetCooldown("k1", Cooldown(TimeSpan.FromHours(1), "m1"));
        a.Store.SetCooldown("k1", Cooldown(TimeSpan.FromHours(1), "m2"));
        await a.Store.FlushAsync();
        Assert.True(await Eventually.TrueAsync(() => b.Store.ActiveCooldowns(T0).Count == 2));

        a.Store.Clear("k1", "m1");
        await a.Store.FlushAsync();

        Assert.True(await Eventually.TrueAsync(() => b.Store.GetCooldown("k1", "m1", T0) is null));
        Assert.NotNull(b.Store.GetCooldown("k1", "m2", T0));
        await using var d = await StartAsync();
        Assert.Null(d.Store.GetCooldown("k1", "m1", T0));
        Assert.NotNull(d.Store.GetCooldown("k1", "m2", T0));
    }

    [Fact]
    public async Task CountRejection_OnAThenB_CountsAcrossInstancesUntilForgotten()
    {
        await using var a = await StartAsync();
        await using var b = await StartAsync();

        Assert.Equal(1, a.Store.CountRejection("k1"));
        await a.Store.FlushAsync();
        Assert.True(await Eventually.TrueAsync(() => b.Store.RejectionsInARow("k1") == 1));
        Assert.Equal(2, b.Store.CountRejection("k1"));
        await b.Store.FlushAsync();
        Assert.True(await Eventually.TrueAsync(() => a.Store.RejectionsInARow("k1") == 2));
        Assert.Equal(2L, (long)await a.Connection.Database.HashGetAsync(_prefix + "keystate:k1", "r"));

        // B's provider took the key again: A's next rejection starts the count afresh.
        b.Store.ForgetRejections("k1");
        await b.Store.FlushAsync();
        Assert.True(await Eventually.TrueAsync(() => a.Store.RejectionsInARow("k1") == 0));
        Assert.Equal(1, a.Store.CountRejection("k1"));
    }

    [Fact]
    public async Task Apply_MessageNotUnderstood_IgnoredAndLaterMessagesApplied()
    {
        await using var a = await StartAsync();
        await using var b = await StartAsync();
        var channel = b.Connection.Channel("keystate");
        await a.Connection.Subscriber.PublishAsync(channel, "not a message");
        await a.Connection.Subscriber.PublishAsync(channel, FieldCodec.Join("other", "set", "k1", "", "not ticks", "rate_limited", "r"));
        await a.Connection.Subscriber.PublishAsync(channel, FieldCodec.Join("other", "explode", "k1"));

        a.Store.SetCooldown("k2", Cooldown(TimeSpan.FromHours(1)));
        await a.Store.FlushAsync();

        Assert.True(await Eventually.TrueAsync(() => b.Store.GetCooldown("k2", "m1", T0) is not null));
        Assert.Null(b.Store.GetCooldown("k1", "m1", T0));
    }

    [Fact]
    public async Task StartAsync_LaterInstance_LoadsTheCooldownsInForce()
    {
        await using var a = await StartAsync();
        var rejected = new KeyCooldown(T0.AddMinutes(15), KeyCooldown.RejectedOutcome, "401 invalid key", null);
        a.Store.SetCooldown("k1", Cooldown(TimeSpan.FromMinutes(1), "m1"));
        a.Store.SetCooldown("k2", Cooldown(TimeSpan.FromHours(1), "m1", "day quota"));
        a.Store.SetCooldown("k3", rejected);
        a.Store.CountRejection("k3");
        a.Store.CountRejection("k3");
        await a.Store.FlushAsync();
        _time.Advance(TimeSpan.FromMinutes(5));

        await using var d = await StartAsync();

        var now = T0.AddMinutes(5);
        Assert.Equal(
            [("k2", Cooldown(TimeSpan.FromHours(1), "m1", "day quota")), ("k3", rejected)],
            d.Store.ActiveCooldowns(now).OrderBy(x => x.KeyId, StringComparer.Ordinal));
        Assert.True(d.Store.GetCooldown("k3", "any", now)!.IsRejection);
        Assert.Equal(3, d.Store.CountRejection("k3"));
    }

    [Fact]
    public async Task SetCooldownAndCountRejection_EveryKeyWritten_ExpiresWithItsCooldown()
    {
        await using var a = await StartAsync();
        a.Store.SetCooldown("k1", Cooldown(TimeSpan.FromMinutes(10), "m1"));
        a.Store.SetCooldown("k1", Cooldown(TimeSpan.FromMinutes(2)));
        a.Store.SetCooldown("k2", Cooldown(TimeSpan.FromSeconds(30)));
        a.Store.CountRejection("k3");
        a.Store.SetCooldown("k3", new KeyCooldown(T0.AddMinutes(5), KeyCooldown.RejectedOutcome, "401", null));
        await a.Store.FlushAsync();

        var database = a.Connection.Database;
        var keys = new List<string>();
        var cursor = "0";
        do
        {
            var page = (RedisResult[])(await database.ExecuteAsync("SCAN", cursor, "MATCH", _prefix + "*"))!;
            cursor = (string)page[0]!;
            keys.AddRange(((RedisKey[])page[1]!).Select(k => (string)k!));
        }
        while (cursor != "0");

        Assert.Equal(
            [_prefix + "keystate:k1", _prefix + "keystate:k2", _prefix + "keystate:k3"],
            keys.Order(StringComparer.Ordinal));
        var k1 = (await database.KeyTimeToLiveAsync(_prefix + "keystate:k1"))!.Value;
        var k2 = (await database.KeyTimeToLiveAsync(_prefix + "keystate:k2"))!.Value;
        var k3 = (await database.KeyTimeToLiveAsync(_prefix + "keystate:k3"))!.Value;
        Assert.InRange(k1, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
        Assert.InRange(k2, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30));
        Assert.InRange(k3, RedisKeyStateStore.RejectionRetention - TimeSpan.FromMinutes(1), RedisKeyStateStore.RejectionRetention);
    }

    [Fact]
    public async Task SetCooldown_AlreadyOverByTheClock_NotWrittenToRedis()
    {
        await using var a = await StartAsync();
        _time.Advance(TimeSpan.FromMinutes(5));

        a.Store.SetCooldown("k1", Cooldown(TimeSpan.FromMinutes(1)));
        await a.Store.FlushAsync();

        Assert.False(await a.Connection.Database.KeyExistsAsync(_prefix + "keystate:k1"));
    }

    private async Task<KeyStateInstance> StartAsync()
    {
        var instance = await KeyStateInstance.StartAsync(redis.Server.Configuration, _prefix, _time);
        Assert.True(instance.Store.IsShared);
        return instance;
    }
}
