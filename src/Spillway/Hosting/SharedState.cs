using Spillway.Core.Configuration;
using Spillway.Storage.Redis;
using Spillway.Storage.Redis.Breakers;
using Spillway.Storage.Redis.Clients;

namespace Spillway.Hosting;

/// <summary>
/// What this instance shares with the others (<c>storage:</c> in the config): the live key state in Redis. Built once
/// at start, before the first request; with no Redis configured there is none and the instance keeps everything in
/// its own memory (and the data folder), exactly as a single gateway does.
/// </summary>
internal sealed class SharedState : IAsyncDisposable
{
    private SharedState(RedisConnection redis, RedisRouteBreakers breakers, RedisClientRateLimiter clientLimits)
    {
        Redis = redis;
        Breakers = breakers;
        ClientLimits = clientLimits;
    }

    public RedisConnection Redis { get; }

    public RedisRouteBreakers Breakers { get; }

    public RedisClientRateLimiter ClientLimits { get; }

    /// <summary>Connects to Redis and starts the shared stores; an unreachable Redis does not stop the start (the
    /// instance serves on its own state, says so in <c>/healthz</c> and re-joins when Redis answers).</summary>
    public static async Task<SharedState> ConnectAsync(string redisConfiguration, BreakerConfig breaker, TimeProvider time, ILoggerFactory logging)
    {
        var redis = await RedisConnection.ConnectAsync(redisConfiguration, logging.CreateLogger<RedisConnection>());
        var breakers = await RedisRouteBreakers.StartAsync(redis, breaker, time, logging.CreateLogger<RedisRouteBreakers>());
        return new SharedState(redis, breakers, new RedisClientRateLimiter(redis, time));
    }

    public async ValueTask DisposeAsync()
    {
        await Breakers.FlushAsync();
        await Redis.DisposeAsync();
    }
}
