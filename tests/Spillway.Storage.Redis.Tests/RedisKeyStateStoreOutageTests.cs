using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Spillway.Core.KeyState;
using Spillway.Storage.Redis.Tests.Support;
using Spillway.TestSupport.Servers;

namespace Spillway.Storage.Redis.Tests;

/// <summary>Redis going away and coming back (a crash without persistence: it comes back empty). Each test has
/// its own server, since it kills it.</summary>
public sealed class RedisKeyStateStoreOutageTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private readonly string _prefix = RedisTestServer.FreshPrefix();
    private readonly FakeTimeProvider _time = new(T0);
    private RedisServer? _server;

    private RedisServer Server => _server!;

    public async Task InitializeAsync() => _server = await RedisServer.StartNewAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    private static KeyCooldown Cooldown(TimeSpan after, string? model = null, string reason = "test") =>
        new(T0 + after, "rate_limited", reason, model);

    [Fact]
    public async Task SetCooldown_RedisKilled_KeepsItsOwnStateAndAnswers()
    {
        await using var a = await KeyStateInstance.StartAsync(Server.Configuration, _prefix, _time);
        a.Store.SetCooldown("k1", Cooldown(TimeSpan.FromHours(1)));
        await a.Store.FlushAsync();

        await Server.StopAsync();
        Assert.True(await Eventually.TrueAsync(() => !a.Store.IsShared));

        a.Store.SetCooldown("k2", Cooldown(TimeSpan.FromMinutes(5), "m1"));
        Assert.Equal(1, a.Store.CountRejection("k3"));
        Assert.Equal(2, a.Store.CountRejection("k3"));
        a.Store.Clear("k1", "m9");
        a.Store.ForgetRejections("k4");
        await a.Store.FlushAsync();

        Assert.NotNull(a.Store.GetCooldown("k1", "m1", T0));
        Assert.NotNull(a.Store.GetCooldown("k2", "m1", T0));
        Assert.Equal(2, a.Store.ActiveCooldowns(T0).Count);
        Assert.Equal(2, a.Store.RejectionsInARow("k3"));
        Assert.Equal(1, a.Store.Reset("k2", T0));
    }

    [Fact]
    public async Task StartAsync_RedisUnreachable_StartsOnItsOwnState()
    {
        await using var connection = await RedisConnection.ConnectAsync(
            "127.0.0.1:" + LoopbackPort.Free() + ",connectTimeout=200", NullLogger.Instance, _prefix);
        await using var store = new RedisKeyStateStore(connection, _time, NullLogger.Instance);

        await store.StartAsync();
        store.SetCooldown("k1", Cooldown(TimeSpan.FromMinutes(5)));
        await store.FlushAsync();

        Assert.False(store.IsShared);
        Assert.NotNull(store.GetCooldown("k1", "m1", T0));
        Assert.Equal(1, store.CountRejection("k1"));
    }

    [Fact]
    public async Task StartAsync_RedisAwayAtStart_JoinsWhenItAnswers()
    {
        await Server.StopAsync();
        await using var a = await KeyStateInstance.StartAsync(Server.Configuration + ",connectTimeout=200", _prefix, _time);
        a.Store.SetCooldown("k1", Cooldown(TimeSpan.FromHours(1)));
        Assert.False(a.Store.IsShared);

        await Server.StartAsync();

        await using var probe = await RedisConnection.ConnectAsync(Server.Configuration, NullLogger.Instance, _prefix);
        Assert.True(await Eventually.TrueAsync(
            async () => a.Store.IsShared && await probe.Database.KeyExistsAsync(_prefix + "keystate:k1"), attempts: 3000));
    }

    [Fact]
    public async Task Restored_RedisBackEmpty_ReloadsRewritesAndHearsTheOthersAgain()
    {
        await using var a = await KeyStateInstance.StartAsync(Server.Configuration, _prefix, _time);
        a.Store.SetCooldown("before", Cooldown(TimeSpan.FromHours(1)));
        await a.Store.FlushAsync();
        await Server.StopAsync();
        Assert.True(await Eventually.TrueAsync(() => !a.Store.IsShared));

        // Learned while Redis was away: only A knows it.
        a.Store.SetCooldown("during", Cooldown(TimeSpan.FromHours(2), "m1"));
        await Server.StartAsync();

        // A re-joins by itself: it writes back what it holds into the empty Redis.
        await using var probe = await RedisConnection.ConnectAsync(Server.Configuration, NullLogger.Instance, _prefix);
        Assert.True(await Eventually.TrueAsync(
            async () => a.Store.IsShared && await probe.Database.KeyExistsAsync(_prefix + "keystate:during"), attempts: 3000));
        await a.Store.FlushAsync();

        await using var d = await KeyStateInstance.StartAsync(Server.Configuration, _prefix, _time);
        Assert.Equal(T0.AddHours(2), d.Store.GetCooldown("during", "m1", T0)!.Until);
        Assert.Equal(T0.AddHours(1), d.Store.GetCooldown("before", "m1", T0)!.Until);

        // A's subscription comes back on its own connection: once one of D's messages got through, every later one does.
        for (var attempt = 0; attempt < 100 && a.Store.GetCooldown("probe", "m1", T0) is null; attempt++)
        {
            d.Store.SetCooldown("probe", Cooldown(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(attempt)));
            await d.Store.FlushAsync();
            await Eventually.TrueAsync(() => a.Store.GetCooldown("probe", "m1", T0) is not null, attempts: 20);
        }

        d.Store.SetCooldown("after", Cooldown(TimeSpan.FromMinutes(30), "m2"));
        await d.Store.FlushAsync();
        Assert.True(await Eventually.TrueAsync(() => a.Store.GetCooldown("after", "m2", T0) is not null));
        a.Store.Reset("after", T0);
        await a.Store.FlushAsync();
        Assert.True(await Eventually.TrueAsync(() => d.Store.GetCooldown("after", "m2", T0) is null));
    }
}
