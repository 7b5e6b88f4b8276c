using System.Globalization;
using StackExchange.Redis;

namespace Spillway.Storage.Redis.Clients;

/// <summary>
/// Each client's <c>rpm</c> counted once for every instance: a sliding one-minute window kept in Redis as a sorted
/// set of the client's admitted requests (scored by their time), trimmed, counted and added to in one atomic script,
/// so three instances together admit exactly <c>rpm</c> requests in any minute. One round trip per request of a
/// client that has a limit; none for a client without one. The set expires a minute after its last request.
/// </summary>
public sealed class RedisClientRateLimiter(RedisConnection redis, TimeProvider time)
{
    private const string Script = """
        local now = tonumber(ARGV[1])
        local window = tonumber(ARGV[2])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
        if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then
          redis.call('ZADD', KEYS[1], now, ARGV[4])
          redis.call('PEXPIRE', KEYS[1], window)
          return -1
        end
        local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
        return tonumber(oldest[2]) + window - now
        """;

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly string _instance = Guid.NewGuid().ToString("N")[..12];
    private long _sequence;

    /// <summary>True when the client may make one more request now; else how long until it may.</summary>
    /// <exception cref="RedisException">Redis did not answer: the caller decides alone (its local limiter).</exception>
    public async ValueTask<(bool Admitted, TimeSpan RetryAfter)> TryAcquireAsync(string clientId, int requestsPerMinute)
    {
        var member = string.Create(CultureInfo.InvariantCulture, $"{_instance}:{Interlocked.Increment(ref _sequence)}");
        var key = redis.Key(string.Create(CultureInfo.InvariantCulture, $"client-rpm:{clientId}:{requestsPerMinute}"));
        var wait = (long)(await redis.Database.ScriptEvaluateAsync(
            Script, [key], [time.GetUtcNow().ToUnixTimeMilliseconds(), (long)Window.TotalMilliseconds, requestsPerMinute, member]));
        return wait < 0 ? (true, TimeSpan.Zero) : (false, TimeSpan.FromMilliseconds(Math.Max(wait, 1)));
    }
}
