using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Spillway.Core.KeyState;
using Spillway.Core.Providers;
using Spillway.Core.Providers.RateLimits;
using Spillway.Storage.Redis.Quotas;
using Spillway.Storage.Redis.Tests.Support;

namespace Spillway.Storage.Redis.Tests.Quotas;

/// <summary>Takes the class's own redis-server away and brings it back.</summary>
public sealed class RedisQuotaStoreOutageTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private static readonly QuotaScope Key = new("k1", string.Empty);
    private static readonly QuotaRules Rules = new(new KeyLimits(Rpm: 2), DailyResetRule.UtcMidnight);

    // Tests that do not time Redis out wait long for it: on a busy machine a first script load can take a second.
    private static readonly TimeSpan PatientAdmission = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new(T0);

    [Fact]
    public async Task TryAdmitAsync_RedisKilled_CountsLocallyThenSharedAgainWhenItIsBack()
    {
        await using var a = await redis.ConnectAsync(RedisFixture.FreshPrefix());
        var store = new RedisQuotaStore(a, NullLogger.Instance, PatientAdmission);
        Assert.True(store.IsShared);
        Assert.True((await AdmitAsync(store)).Admitted);

        await redis.Server.StopAsync();
        await RedisFixture.EventuallyAsync(() => !store.IsShared, "the store did not notice Redis was gone");

        // This instance's own counting: two requests a minute, whatever Redis had counted.
        Assert.True((await AdmitAsync(store)).Admitted);
        var held = (await AdmitAsync(store)).Reservation!;
        Assert.False((await AdmitAsync(store)).Admitted);
        store.Release(held);
        store.Observe(Key, Rules, QuotaMeasure.Rpd, 100, 50, null, _time.GetUtcNow());
        store.Record(Key, Rules, 10, _time.GetUtcNow());
        store.Learn(Key, QuotaMeasure.Tpd, 1000, _time.GetUtcNow());
        Assert.Equal(100, store.Figures(Key, Rules, _time.GetUtcNow())[QuotaMeasure.Rpd].Limit);
        Assert.Equal([Key], store.Scopes());

        await redis.Server.StartAsync();
        await RedisFixture.EventuallyAsync(() => store.IsShared, "the store did not use Redis again");

        // A fresh Redis (no persistence): the local counts are not merged into it.
        Assert.Equal(2, store.Figures(Key, Rules, _time.GetUtcNow())[QuotaMeasure.Rpm].Remaining);
        Assert.True((await AdmitAsync(store)).Admitted);
        Assert.True((await AdmitAsync(store)).Admitted);
        Assert.False((await AdmitAsync(store)).Admitted);
    }

    [Fact]
    public async Task TryAdmitAsync_RedisDoesNotAnswerInTime_AdmitsLocallyAndTakesTheLateAdmissionBack()
    {
        await using var a = await redis.ConnectAsync(RedisFixture.FreshPrefix());
        var store = new RedisQuotaStore(a, NullLogger.Instance, TimeSpan.FromMilliseconds(100));
        await using var admin = await redis.AdminAsync();
        await admin.GetDatabase().ExecuteAsync("CLIENT", "PAUSE", "2000", "ALL");

        var decision = await AdmitAsync(store);

        Assert.True(decision.Admitted);
        Assert.Null(decision.Reservation!.Handle);
        Assert.Equal(1, store.Fallbacks);
        Assert.True(store.IsShared);
        await admin.GetDatabase().ExecuteAsync("CLIENT", "UNPAUSE");

        // The late admission in Redis was taken back out of the minute window.
        Assert.Equal(2, store.Figures(Key, Rules, _time.GetUtcNow())[QuotaMeasure.Rpm].Remaining);
    }

    [Fact]
    public async Task TryAdmitAsync_CancelledWhileRedisIsSlow_ThrowsAndTakesTheLateAdmissionBack()
    {
        await using var a = await redis.ConnectAsync(RedisFixture.FreshPrefix());
        var store = new RedisQuotaStore(a, NullLogger.Instance, TimeSpan.FromSeconds(10));
        await using var admin = await redis.AdminAsync();
        await admin.GetDatabase().ExecuteAsync("CLIENT", "PAUSE", "2000", "ALL");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            async () => await store.TryAdmitAsync(Key, Rules, null, _time.GetUtcNow(), cancel.Token));

        await admin.GetDatabase().ExecuteAsync("CLIENT", "UNPAUSE");
        Assert.Equal(2, store.Figures(Key, Rules, _time.GetUtcNow())[QuotaMeasure.Rpm].Remaining);
    }

    [Fact]
    public async Task TryAdmitAsync_RedisForgotItsScripts_LoadsThemAgainAndStaysShared()
    {
        await using var a = await redis.ConnectAsync(RedisFixture.FreshPrefix());
        var store = new RedisQuotaStore(a, NullLogger.Instance, PatientAdmission);
        var first = (await AdmitAsync(store)).Reservation!;
        Assert.NotNull(first.Handle);
        await using var admin = await redis.AdminAsync();
        await admin.GetServer(admin.GetEndPoints()[0]).ScriptFlushAsync();

        // Redis answered NOSCRIPT and ran nothing: the scripts are loaded again and the admission sent once more.
        var second = (await AdmitAsync(store)).Reservation!;
        Assert.NotNull(second.Handle);
        Assert.False((await AdmitAsync(store)).Admitted);

        // The fire-and-forget scripts are there again too: rpm 2 is free after the two releases.
        store.Release(first);
        store.Release(second);
        Assert.Equal(2, store.Figures(Key, Rules, _time.GetUtcNow())[QuotaMeasure.Rpm].Remaining);
        Assert.Equal(0, store.Fallbacks);
    }

    private ValueTask<AdmitDecision> AdmitAsync(RedisQuotaStore store) =>
        store.TryAdmitAsync(Key, Rules, null, _time.GetUtcNow(), CancellationToken.None);
}
