namespace Spillway.Storage.Redis.Budgets;

/// <summary>
/// The Lua scripts behind <see cref="RedisBudgetStore"/>, each atomic in Redis. Money is integer nano-dollars
/// (10⁻⁹ USD): exact for any price per token, and Lua's numbers stay exact to 2⁵³ (nine million dollars). Time is
/// the caller's (<c>now</c> in Unix milliseconds), never Redis' own clock.
/// </summary>
/// <remarks>KEYS of one client: 1 today's spend, 2 this month's spend (strings), 3 holds (sorted set: hold id by
/// expiry), 4 hold amounts (hash: hold id → nano-dollars).</remarks>
internal static class BudgetScripts
{
    /// <summary>Forgets expired holds and sums the rest into <c>held</c>. ARGV[1] is now.</summary>
    private const string Holds = """
        local now = tonumber(ARGV[1])
        local gone = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)
        if #gone > 0 then
          redis.call('HDEL', KEYS[4], unpack(gone))
          redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
        end
        local held = 0
        for _, amount in ipairs(redis.call('HVALS', KEYS[4])) do held = held + tonumber(amount) end
        local day = tonumber(redis.call('GET', KEYS[1]) or '0')
        local month = tonumber(redis.call('GET', KEYS[2]) or '0')

        """;

    /// <summary>
    /// Holds an estimate when spend and holds leave room for it. ARGV: 1 now, 2 daily limit (-1: none), 3 monthly
    /// limit (-1: none), 4 the estimate, 5 the hold id, 6 its expiry. Returns {1, day, month, held} or {0, 0 for the
    /// day or 1 for the month, spent, held}.
    /// </summary>
    public const string Reserve = Holds + """
        local daily = tonumber(ARGV[2])
        local monthly = tonumber(ARGV[3])
        local estimate = tonumber(ARGV[4])
        if daily >= 0 and day + held + estimate > daily then return {0, 0, day, held} end
        if monthly >= 0 and month + held + estimate > monthly then return {0, 1, month, held} end
        redis.call('ZADD', KEYS[3], ARGV[6], ARGV[5])
        redis.call('HSET', KEYS[4], ARGV[5], ARGV[4])
        local last = redis.call('ZRANGE', KEYS[3], -1, -1, 'WITHSCORES')
        local ttl = tonumber(last[2]) - now + 60000
        redis.call('PEXPIRE', KEYS[3], ttl)
        redis.call('PEXPIRE', KEYS[4], ttl)
        return {1, day, month, held + estimate}
        """;

    /// <summary>Spend today, this month, and held: {day, month, held}. ARGV[1] is now.</summary>
    public const string Status = Holds + """
        return {day, month, held}
        """;

    /// <summary>A hold becomes spend. ARGV: 1 the hold id, 2 the cost, 3 and 4 the day's and month's time to live.</summary>
    public const string Settle = """
        redis.call('ZREM', KEYS[3], ARGV[1])
        redis.call('HDEL', KEYS[4], ARGV[1])
        local cost = tonumber(ARGV[2])
        if cost > 0 then
          redis.call('INCRBY', KEYS[1], ARGV[2])
          redis.call('PEXPIRE', KEYS[1], ARGV[3])
          redis.call('INCRBY', KEYS[2], ARGV[2])
          redis.call('PEXPIRE', KEYS[2], ARGV[4])
        end
        return 1
        """;

    /// <summary>A hold is given back. ARGV: 1 the hold id.</summary>
    public const string Release = """
        redis.call('ZREM', KEYS[3], ARGV[1])
        redis.call('HDEL', KEYS[4], ARGV[1])
        return 1
        """;

    /// <summary>
    /// Adds the ledger's spend once per client and month, whichever instance comes first. KEYS: 1 today, 2 this
    /// month, 3 the month's seeded mark. ARGV: 1 the month's spend, 2 today's, 3 and 4 the day's and month's time to
    /// live. Returns 1 when this call seeded.
    /// </summary>
    public const string Seed = """
        if not redis.call('SET', KEYS[3], '1', 'NX', 'PX', ARGV[4]) then return 0 end
        if tonumber(ARGV[1]) > 0 then
          redis.call('INCRBY', KEYS[2], ARGV[1])
          redis.call('PEXPIRE', KEYS[2], ARGV[4])
        end
        if tonumber(ARGV[2]) > 0 then
          redis.call('INCRBY', KEYS[1], ARGV[2])
          redis.call('PEXPIRE', KEYS[1], ARGV[3])
        end
        return 1
        """;
}
