using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Spillway.Core.Budgets;
using Spillway.Storage.Redis.Budgets;
using Spillway.Storage.Redis.Tests.Support;

namespace Spillway.Storage.Redis.Tests.Budgets;

/// <summary>Takes the class's own redis-server away and brings it back.</summary>
public sealed class RedisBudgetStoreOutageTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task TryReserveAsync_RedisKilled_RefusesPaidCallsThenHoldsAgainWhenItIsBack()
    {
        await using var a = await redis.ConnectAsync(RedisFixture.FreshPrefix());
        var store = new RedisBudgetStore(a, _time, NullLogger.Instance);
        var budget = new ClientBudget("team", DailyUsd: 5m, MonthlyUsd: null);
        var held = (await store.TryReserveAsync(budget, 0.1m, CancellationToken.None)).Reservation!;

        await redis.Server.StopAsync();
        await RedisFixture.EventuallyAsync(() => !store.IsShared, "the store did not notice Redis was gone");

        var refused = await store.TryReserveAsync(budget, 0.1m, CancellationToken.None);
        Assert.Null(refused.Reservation);
        Assert.Contains("unreachable", refused.Describe(), StringComparison.Ordinal);
        store.Settle(held, 0.05m);

        await redis.Server.StartAsync();
        await RedisFixture.EventuallyAsync(() => store.IsShared, "the store did not use Redis again");

        Assert.NotNull((await store.TryReserveAsync(budget, 0.1m, CancellationToken.None)).Reservation);
        Assert.Equal(0.1m, store.StatusOf("team").Held);
    }

    [Fact]
    public async Task TryReserveAsync_RedisDoesNotAnswerInTime_RefusedAndTheLateHoldGivenBack()
    {
        await using var a = await redis.ConnectAsync(RedisFixture.FreshPrefix());
        var store = new RedisBudgetStore(a, _time, NullLogger.Instance, timeout: TimeSpan.FromMilliseconds(100));
        await using var admin = await redis.AdminAsync();
        await admin.GetDatabase().ExecuteAsync("CLIENT", "PAUSE", "2000", "ALL");

        var refused = await store.TryReserveAsync(new ClientBudget("team", 5m, null), 0.1m, CancellationToken.None);

        Assert.Null(refused.Reservation);
        Assert.Contains("unreachable", refused.Describe(), StringComparison.Ordinal);
        await admin.GetDatabase().ExecuteAsync("CLIENT", "UNPAUSE");

        // The late hold in Redis was given back.
        Assert.Equal(0m, store.StatusOf("team").Held);
    }

    [Fact]
    public async Task TryReserveAsync_CancelledWhileRedisIsSlow_ThrowsAndGivesTheLateHoldBack()
    {
        await using var a = await redis.ConnectAsync(RedisFixture.FreshPrefix());
        var store = new RedisBudgetStore(a, _time, NullLogger.Instance, timeout: TimeSpan.FromSeconds(10));
        await using var admin = await redis.AdminAsync();
        await admin.GetDatabase().ExecuteAsync("CLIENT", "PAUSE", "2000", "ALL");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            async () => await store.TryReserveAsync(new ClientBudget("team", 5m, null), 0.1m, cancel.Token));

        await admin.GetDatabase().ExecuteAsync("CLIENT", "UNPAUSE");
        Assert.Equal(0m, store.StatusOf("team").Held);
    }
}
