using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Spillway.Core.Budgets;
using Spillway.Storage.Redis.Budgets;
using Spillway.Storage.Redis.Tests.Support;

namespace Spillway.Storage.Redis.Tests.Budgets;

public sealed class RedisBudgetStoreTests(RedisFixture redis) : IClassFixture<RedisFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 23, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset December = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly string _prefix = RedisFixture.FreshPrefix();
    private readonly List<RedisConnection> _connections = [];
    private RedisBudgetStore _store = null!;

    public async Task InitializeAsync() => _store = await InstanceAsync();

    public async Task DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task TryReserveAsync_HoldsCountAgainstTheBudgetUntilSettled()
    {
        var budget = new ClientBudget("team", DailyUsd: 1m, MonthlyUsd: null);

        var first = await _store.TryReserveAsync(budget, 0.6m, CancellationToken.None);
        var second = await _store.TryReserveAsync(budget, 0.6m, CancellationToken.None);

        Assert.NotNull(first.Reservation);
        Assert.Null(second.Reservation);
        Assert.Equal(BudgetWindow.Day, second.Window);
        Assert.Equal(Start.Date.AddDays(1), second.ResetAt);
        Assert.Contains("daily budget $1.0000: $0.0000 spent, $0.6000 held, this call may cost up to $0.6000", second.Describe(), StringComparison.Ordinal);

        _store.Settle(first.Reservation!, 0.25m);

        Assert.Equal(new BudgetStatus(0.25m, 0.25m, 0m, Start.Date.AddDays(1), December), _store.StatusOf("team"));
        Assert.NotNull((await _store.TryReserveAsync(budget, 0.6m, CancellationToken.None)).Reservation);
    }

    [Fact]
    public async Task Release_GivesTheHoldBackOnce()
    {
        var budget = new ClientBudget("team", 1m, null);
        var held = (await _store.TryReserveAsync(budget, 0.9m, CancellationToken.None)).Reservation!;

        _store.Release(held);
        _store.Release(held);
        _store.Settle(held, 5m);

        Assert.Equal(0m, _store.StatusOf("team").Held);
        Assert.Equal(0m, _store.StatusOf("team").SpentToday);
    }

    [Fact]
    public async Task TryReserveAsync_NewUtcDay_DailySpendStartsAfreshMonthlyKeepsCounting()
    {
        var budget = new ClientBudget("team", DailyUsd: 1m, MonthlyUsd: 1.5m);
        _store.Settle((await _store.TryReserveAsync(budget, 1m, CancellationToken.None)).Reservation!, 1m);
        Assert.Null((await _store.TryReserveAsync(budget, 0.1m, CancellationToken.None)).Reservation);

        _time.Advance(TimeSpan.FromHours(1));

        var refused = await _store.TryReserveAsync(budget, 0.6m, CancellationToken.None);
        Assert.Equal(BudgetWindow.Month, refused.Window);
        Assert.Equal(1m, refused.Spent);
        Assert.Equal(December, refused.ResetAt);
        Assert.NotNull((await _store.TryReserveAsync(budget, 0.5m, CancellationToken.None)).Reservation);
    }

    [Fact]
    public async Task TryReserveAsync_NewMonth_MonthlySpendStartsAfresh()
    {
        var budget = new ClientBudget("team", null, MonthlyUsd: 1m);
        _store.Settle((await _store.TryReserveAsync(budget, 1m, CancellationToken.None)).Reservation!, 1m);

        _time.Advance(TimeSpan.FromDays(4));

        Assert.NotNull((await _store.TryReserveAsync(budget, 1m, CancellationToken.None)).Reservation);
    }

    [Fact]
    public async Task Seed_AddsThisMonthsSpendOnceAcrossInstances()
    {
        var other = await InstanceAsync();
        var ledger = new Dictionary<DateOnly, decimal>
        {
            [new DateOnly(2026, 10, 31)] = 100m,
            [new DateOnly(2026, 11, 2)] = 2m,
            [new DateOnly(2026, 11, 27)] = 0.5m,
        };
        _store.Seed("team", ledger);

        other.Seed("team", ledger);

        var status = other.StatusOf("team");
        Assert.Equal((0.5m, 2.5m), (status.SpentToday, status.SpentThisMonth));
        Assert.Null((await _store.TryReserveAsync(new ClientBudget("team", null, 3m), 0.6m, CancellationToken.None)).Reservation);
    }

    [Fact]
    public async Task TryReserveAsync_HoldOfAnInstanceThatDied_ExpiresAfterItsLifetime()
    {
        var budget = new ClientBudget("team", 1m, null);
        var store = new RedisBudgetStore(_connections[0], _time, NullLogger.Instance, holdLifetime: TimeSpan.FromMinutes(10));
        Assert.NotNull((await store.TryReserveAsync(budget, 0.9m, CancellationToken.None)).Reservation);
        Assert.Null((await store.TryReserveAsync(budget, 0.2m, CancellationToken.None)).Reservation);

        _time.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(0m, store.StatusOf("team").Held);
        Assert.NotNull((await store.TryReserveAsync(budget, 0.2m, CancellationToken.None)).Reservation);
    }

    [Fact]
    public async Task TryReserveAsync_SixtyConcurrentPaidCallsOverThreeInstances_NeverBeyondTheBudget()
    {
        var instances = new[] { _store, await InstanceAsync(), await InstanceAsync() };
        var budget = new ClientBudget("team", DailyUsd: 0.01m, MonthlyUsd: 0.05m);

        var held = await ReserveConcurrentlyAsync(instances, budget);

        // $0.01 holds fourteen calls of $0.0007, never fifteen.
        Assert.Equal(14, held.Length);
        Assert.Equal(0.0098m, _store.StatusOf("team").Held);
        await Task.WhenAll(held.Select((hold, i) => Task.Run(() =>
        {
            if (i % 2 == 0)
            {
                instances[i % 3].Settle(hold, 0.0007m);
            }
            else
            {
                instances[i % 3].Release(hold);
            }
        })));
        await PingAllAsync();
        Assert.Equal((0.0049m, 0m), (_store.StatusOf("team").SpentToday, _store.StatusOf("team").Held));

        // $0.0049 spent leaves room for seven more.
        var more = await ReserveConcurrentlyAsync(instances, budget);

        Assert.Equal(7, more.Length);
        for (var i = 0; i < more.Length; i++)
        {
            instances[i % 3].Release(more[i]);
        }

        await PingAllAsync();
        var status = _store.StatusOf("team");
        Assert.Equal((0.0049m, 0.0049m, 0m), (status.SpentToday, status.SpentThisMonth, status.Held));
    }

    [Fact]
    public async Task TryReserveAsync_EveryKeyWritten_CarriesATimeToLive()
    {
        var budget = new ClientBudget("team", 1m, 10m);
        _store.Seed("team", new Dictionary<DateOnly, decimal> { [new DateOnly(2026, 11, 27)] = 0.5m });
        var held = (await _store.TryReserveAsync(budget, 0.1m, CancellationToken.None)).Reservation!;
        Assert.NotNull((await _store.TryReserveAsync(budget, 0.1m, CancellationToken.None)).Reservation);
        _store.Settle(held, 0.05m);
        await _connections[0].Database.PingAsync();

        await using var admin = await redis.AdminAsync();
        var server = admin.GetServer(admin.GetEndPoints()[0]);
        var keys = server.Keys(pattern: _prefix + "*").ToList();

        Assert.Equal(5, keys.Count);
        foreach (var key in keys)
        {
            var ttl = await admin.GetDatabase().KeyTimeToLiveAsync(key);
            Assert.True(ttl is { } left && left > TimeSpan.Zero, $"{key} has no time to live");
        }

        // Today's spend lives to the end of the UTC day (an hour away) and a margin.
        var day = (await admin.GetDatabase().KeyTimeToLiveAsync(_prefix + "budget:{team}:day:2026-11-27"))!.Value;
        Assert.InRange(day, TimeSpan.FromMinutes(110), TimeSpan.FromHours(2));
    }

    [Fact]
    public async Task TryReserveAsync_SubMicroDollarCosts_AddUpExactly()
    {
        var budget = new ClientBudget("team", 1m, null);
        for (var i = 0; i < 10; i++)
        {
            _store.Settle((await _store.TryReserveAsync(budget, 0.0000004m, CancellationToken.None)).Reservation!, 0.00000015m);
        }

        Assert.Equal(0.0000015m, _store.StatusOf("team").SpentToday);
    }

    private static async Task<BudgetReservation[]> ReserveConcurrentlyAsync(RedisBudgetStore[] instances, ClientBudget budget)
    {
        var decisions = await Task.WhenAll(Enumerable.Range(0, 60).Select(i =>
            Task.Run(() => instances[i % 3].TryReserveAsync(budget, 0.0007m, CancellationToken.None).AsTask())));
        Assert.All(decisions, decision => Assert.Null(decision.Reason));
        return [.. decisions.Where(decision => decision.Reservation is not null).Select(decision => decision.Reservation!)];
    }

    private async Task PingAllAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.Database.PingAsync();
        }
    }

    private async Task<RedisBudgetStore> InstanceAsync()
    {
        var connection = await redis.ConnectAsync(_prefix);
        _connections.Add(connection);
        return new RedisBudgetStore(connection, _time, NullLogger.Instance, timeout: TimeSpan.FromSeconds(10));
    }
}
