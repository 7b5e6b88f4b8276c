using Spillway.Core.Configuration;
using Spillway.Storage.Redis;
using Spillway.Storage.Redis.Breakers;
using Spillway.Storage.Redis.Budgets;
using Spillway.Storage.Redis.Clients;
using Spillway.Storage.Redis.Quotas;

namespace Spillway.Hosting;

/// <summary>
/// What this instance shares with the others through Redis (<c>storage.redis</c>, or <c>SPILLWAY_REDIS</c>): quota
/// windows, cooldowns and rejected keys, route breakers, client rpm limits, budget holds and the "stored clients or
/// keys changed" messages. Built once at start, before the first request; with no Redis configured there is none and
/// the instance keeps everything in its own memory (and the data folder), exactly as a single gateway does.
/// </summary>
internal sealed class SharedState : IAsyncDisposable
{
    private SharedState(
        RedisConnection redis,
        RedisRouteBreakers breakers,
        RedisClientRateLimiter clientLimits,
        RedisQuotaStore quotas,
        RedisBudgetStore budgets,
        RedisKeyStateStore keys,
        RedisChangeNotifications changes)
    {
        Redis = redis;
        Breakers = breakers;
        ClientLimits = clientLimits;
        Quotas = quotas;
        Budgets = budgets;
        Keys = keys;
        Changes = changes;
    }

    public RedisConnection Redis { get; }

    public RedisRouteBreakers Breakers { get; }

    public RedisClientRateLimiter ClientLimits { get; }

    public RedisQuotaStore Quotas { get; }

    public RedisBudgetStore Budgets { get; }

    public RedisKeyStateStore Keys { get; }

    public RedisChangeNotifications Changes { get; }

    /// <summary>Connects to Redis and starts the shared stores; an unreachable Redis does not stop the start (the
    /// instance serves on its own state, says so in <c>/healthz</c> and re-joins when Redis answers).</summary>
    public static async Task<SharedState> ConnectAsync(string redisConfiguration, BreakerConfig breaker, TimeProvider time, ILoggerFactory logging)
    {
        var redis = await RedisConnection.ConnectAsync(redisConfiguration, logging.CreateLogger<RedisConnection>());
        var breakers = await RedisRouteBreakers.StartAsync(redis, breaker, time, logging.CreateLogger<RedisRouteBreakers>());
        var keys = new RedisKeyStateStore(redis, time, logging.CreateLogger<RedisKeyStateStore>());
        await keys.StartAsync();
        var changes = new RedisChangeNotifications(redis, logging.CreateLogger<RedisChangeNotifications>());
        await changes.StartAsync();
        var quotas = new RedisQuotaStore(redis, logging.CreateLogger<RedisQuotaStore>(), time: time);
        await quotas.StartAsync();
        return new SharedState(
            redis,
            breakers,
            new RedisClientRateLimiter(redis, time),
            quotas,
            new RedisBudgetStore(redis, time, logging.CreateLogger<RedisBudgetStore>()),
            keys,
            changes);
    }

    /// <summary>
    /// Waits for the writes still on their way to Redis (the stores send them without waiting). The closing ping
    /// answers after every command sent before it on the connection, fire-and-forget ones included.
    /// </summary>
    public async Task FlushAsync()
    {
        await Breakers.FlushAsync();
        await Keys.FlushAsync();
        Quotas.FlushPending();
        await Redis.Database.PingAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Quotas.Dispose();
        await FlushAsync();
        await Changes.DisposeAsync();
        await Keys.DisposeAsync();
        await Redis.DisposeAsync();
    }
}
