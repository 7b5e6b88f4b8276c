namespace Spillway.Storage.Redis.Breakers;

/// <summary>
/// The breaker's state machine (<see cref="Spillway.Core.Health.RouteBreaker"/>) as Lua, run atomically by Redis so
/// every instance moves one shared breaker per route. A route's hash: <c>state</c> (closed, open, half),
/// <c>failures</c>, <c>reopens</c>, <c>open_until</c> and <c>probe_since</c> (Unix ms), and the last counted failure
/// (<c>last_at</c>, <c>last_outcome</c>, <c>last_reason</c>). Times come from the caller's clock (ARGV), never Redis'
/// own. Every write renews the hash's TTL (ARGV[2], ms): a breaker nobody touched for that long is forgotten (closed).
/// </summary>
internal static class BreakerScripts
{
    /// <summary>KEYS[1] hash; ARGV: now, ttl, base cool-off ms. Returns {admitted 0/1, state, open_until, probe_since, failures, last_reason}.</summary>
    public const string Claim = """
        local h = KEYS[1]
        local now = tonumber(ARGV[1])
        local state = redis.call('HGET', h, 'state') or 'closed'
        local open_until = tonumber(redis.call('HGET', h, 'open_until') or '0')
        local probe_since = tonumber(redis.call('HGET', h, 'probe_since') or '-1')
        local failures = tonumber(redis.call('HGET', h, 'failures') or '0')
        local reason = redis.call('HGET', h, 'last_reason') or ''
        if state == 'closed' then return {1, state, 0, -1, failures, reason} end
        if state == 'open' and now < open_until then return {0, state, open_until, -1, failures, reason} end
        if state == 'half' and probe_since >= 0 and now < probe_since + tonumber(ARGV[3]) then
          return {0, state, open_until, probe_since, failures, reason}
        end
        redis.call('HSET', h, 'state', 'half', 'probe_since', now)
        redis.call('PEXPIRE', h, ARGV[2])
        return {1, 'half', open_until, now, failures, reason}
        """;

    /// <summary>KEYS[1] hash, KEYS[2] the index of routes with a breaker; ARGV: now, ttl, base cool-off ms, threshold,
    /// cap ms, outcome, reason, route. Returns the transition.</summary>
    public const string Fail = """
        local h = KEYS[1]
        redis.call('SADD', KEYS[2], ARGV[8])
        redis.call('PEXPIRE', KEYS[2], ARGV[2])
        local now = tonumber(ARGV[1])
        local state = redis.call('HGET', h, 'state') or 'closed'
        if state == 'open' then return 'none' end
        local failures = tonumber(redis.call('HGET', h, 'failures') or '0') + 1
        local reopens = tonumber(redis.call('HGET', h, 'reopens') or '0')
        redis.call('HSET', h, 'failures', failures, 'last_at', now, 'last_outcome', ARGV[6], 'last_reason', ARGV[7])
        local transition = 'none'
        if state == 'half' then
          reopens = reopens + 1
          transition = 'reopened'
        elseif failures >= tonumber(ARGV[4]) then
          reopens = 0
          transition = 'opened'
        end
        if transition ~= 'none' then
          local cool = tonumber(ARGV[3]) * (2 ^ math.min(reopens, 30))
          local cap = tonumber(ARGV[5])
          if cool > cap then cool = cap end
          redis.call('HSET', h, 'state', 'open', 'reopens', reopens, 'open_until', now + math.floor(cool), 'probe_since', -1)
        end
        redis.call('PEXPIRE', h, ARGV[2])
        return transition
        """;

    /// <summary>KEYS[1] hash; ARGV: ttl. A served call: closed again (the probe succeeded) or the count starts over.</summary>
    public const string Succeed = """
        local h = KEYS[1]
        local state = redis.call('HGET', h, 'state')
        if not state then return 'none' end
        if state == 'closed' then
          redis.call('HSET', h, 'failures', 0)
          redis.call('PEXPIRE', h, ARGV[1])
          return 'none'
        end
        if state == 'half' then
          redis.call('HSET', h, 'state', 'closed', 'failures', 0, 'reopens', 0, 'probe_since', -1)
          redis.call('PEXPIRE', h, ARGV[1])
          return 'closed'
        end
        return 'none'
        """;

    /// <summary>KEYS[1] hash. A probe that said nothing about the route gives its claim back.</summary>
    public const string Neutral = """
        local h = KEYS[1]
        if redis.call('HGET', h, 'state') == 'half' then
          redis.call('HSET', h, 'probe_since', -1)
          return 1
        end
        return 0
        """;
}
