namespace Spillway.Storage.Redis.Quotas;

/// <summary>
/// The Lua scripts behind <see cref="RedisQuotaStore"/>: each runs atomically in Redis, so instances never read a
/// window and write it back apart. They reproduce <c>KeyQuota</c> and <c>QuotaWindow</c> of Spillway.Core.KeyState.
/// Time is always the caller's (<c>now</c> in Unix milliseconds, from its <see cref="TimeProvider"/>), never Redis' own.
/// </summary>
/// <remarks>
/// KEYS of one scope, in this order: 1 rpm (sorted set: entry id by time), 2 tpm (sorted set), 3 tpm amounts (hash:
/// entry id → tokens), 4 rpd and 5 tpd (hash: used, reset), 6–9 the stated remaining of rpm, rpd, tpm, tpd (hash:
/// rem, until, id), 10 learned limits (hash: rpm, rpd, tpm, tpd), 11 the index of scopes (sorted set by last use).
/// </remarks>
internal static class QuotaScripts
{
    /// <summary>Loads and rolls the four windows of a scope. ARGV: 1 now, 2 the next day reset for the scope's rule,
    /// 3–6 the configured limits (-1: none).</summary>
    private const string Prelude = """
        local now = tonumber(ARGV[1])
        local nextReset = tonumber(ARGV[2])
        local MIN = 60000
        local MINUTE_TTL = 65000
        local DAY_MARGIN = 3600000
        local LEARNED_TTL = 86400000
        local names = {'rpm', 'rpd', 'tpm', 'tpd'}
        local daily = {false, true, false, true}
        local W = {}
        local learnedAll = redis.call('HMGET', KEYS[10], 'rpm', 'rpd', 'tpm', 'tpd')
        for i = 1, 4 do
          local w = {i = i}
          local learned = learnedAll[i]
          local configured = tonumber(ARGV[2 + i])
          if learned then
            w.limit = tonumber(learned)
            w.learned = true
          elseif configured >= 0 then
            w.limit = configured
          end
          local st = redis.call('HMGET', KEYS[5 + i], 'rem', 'until', 'id')
          if st[1] and tonumber(st[2]) > now then
            w.stated = tonumber(st[1])
            w.untilAt = tonumber(st[2])
            w.sid = st[3]
          elseif st[1] then
            redis.call('DEL', KEYS[5 + i])
          end
          W[i] = w
        end
        W[1].key = KEYS[1]
        W[3].key = KEYS[2]
        W[2].key = KEYS[4]
        W[4].key = KEYS[5]
        for _, i in ipairs({2, 4}) do
          local w = W[i]
          local d = redis.call('HMGET', w.key, 'used', 'reset')
          if d[2] and now < tonumber(d[2]) then
            w.used = tonumber(d[1])
            w.reset = tonumber(d[2])
          else
            w.used = 0
            w.reset = nextReset
          end
        end
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - MIN)
        local old = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now - MIN)
        if #old > 0 then
          redis.call('HDEL', KEYS[3], unpack(old))
          redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - MIN)
        end

        local function entries(w)
          if w.list then return w.list end
          local raw = redis.call('ZRANGE', w.key, 0, -1, 'WITHSCORES')
          local list = {}
          local amounts
          if w.i == 3 and #raw > 0 then
            local ids = {}
            for j = 1, #raw, 2 do ids[#ids + 1] = raw[j] end
            amounts = redis.call('HMGET', KEYS[3], unpack(ids))
          end
          for j = 1, #raw, 2 do
            local amount = 1
            if amounts then amount = tonumber(amounts[(j + 1) / 2]) or 0 end
            list[#list + 1] = {at = tonumber(raw[j + 1]), amount = amount}
          end
          w.list = list
          return list
        end

        local function used(w)
          if w.used then return w.used end
          if w.i == 1 then
            w.used = redis.call('ZCARD', w.key)
          else
            local sum = 0
            for _, e in ipairs(entries(w)) do sum = sum + e.amount end
            w.used = sum
          end
          return w.used
        end

        local function known(w) return w.limit ~= nil or w.stated ~= nil end

        local function remaining(w)
          local r = nil
          if w.limit then r = w.limit - used(w) end
          if w.stated and (r == nil or w.stated < r) then r = w.stated end
          if r and r < 0 then r = 0 end
          return r
        end

        local function freesAt(w, needed)
          local at = now
          if w.stated and w.stated < needed then at = w.untilAt end
          if not w.limit or w.limit - used(w) >= needed then return at end
          local freed
          if daily[w.i] then
            freed = w.reset
          else
            local excess = used(w) + needed - w.limit
            freed = now + MIN
            for _, e in ipairs(entries(w)) do
              excess = excess - e.amount
              if excess <= 0 then
                freed = e.at + MIN
                break
              end
            end
          end
          if freed > at then return freed end
          return at
        end

        local function resetAt(w)
          if w.stated then return w.untilAt end
          if daily[w.i] then
            if used(w) > 0 then return w.reset end
            return -1
          end
          for _, e in ipairs(entries(w)) do
            if e.amount > 0 then return e.at + MIN end
          end
          return -1
        end

        local function add(w, amount, id)
          local keep = known(w)
          if daily[w.i] then
            w.used = used(w) + amount
            redis.call('HSET', w.key, 'used', w.used, 'reset', w.reset)
            redis.call('PEXPIRE', w.key, w.reset - now + DAY_MARGIN)
          elseif keep then
            redis.call('ZADD', w.key, now, id)
            redis.call('PEXPIRE', w.key, MINUTE_TTL)
            if w.i == 3 then
              redis.call('HSET', KEYS[3], id, amount)
              redis.call('PEXPIRE', KEYS[3], MINUTE_TTL)
            end
            w.used = nil
            w.list = nil
          end
          if w.stated and amount ~= 0 then
            w.stated = w.stated - amount
            redis.call('HINCRBY', KEYS[5 + w.i], 'rem', 0 - amount)
          end
        end

        local function countAll(tokens, id)
          for i = 1, 4 do
            local amount = 1
            if i >= 3 then amount = tokens end
            add(W[i], amount, id)
          end
        end

        local function tokensKnownUntil()
          local untilAt = 0
          for _, i in ipairs({3, 4}) do
            local w = W[i]
            if w.learned and now + LEARNED_TTL > untilAt then untilAt = now + LEARNED_TTL end
            if w.stated and w.untilAt > untilAt then untilAt = w.untilAt end
          end
          return untilAt
        end

        -- Scopes idle for a day leave the index when a new scope joins it: it only grows then, and pruning on
        -- every admission would cost a command each time for nothing.
        local function touchScope(scope)
          if redis.call('ZADD', KEYS[11], now, scope) == 1 then
            redis.call('ZREMRANGEBYSCORE', KEYS[11], '-inf', now - LEARNED_TTL)
          end
          redis.call('PEXPIRE', KEYS[11], LEARNED_TTL)
        end

        local function sidOf(w)
          if w.stated then return w.sid end
          return ''
        end

        """;

    /// <summary>
    /// Admits and reserves, or names the first window in the way. ARGV after the prelude's: 7 tokens (-1: not
    /// estimated), 8 the reservation id, 9 the scope's index entry. Returns {1, rpd reset, tpd reset, statement ids of
    /// rpm, rpd, tpm, tpd, tokens known until} or {0, measure index, needed, remaining, limit (-1), frees at}.
    /// </summary>
    public const string Admit = Prelude + """
        local tokens = tonumber(ARGV[7])
        touchScope(ARGV[9])
        for i = 1, 4 do
          local w = W[i]
          local counted = i >= 3
          if not (counted and tokens < 0) then
            local needed = 1
            if counted then needed = tokens end
            local r = remaining(w)
            if r and r < needed then
              return {0, i - 1, needed, r, w.limit or -1, freesAt(w, needed), tokensKnownUntil()}
            end
          end
        end
        local sids = {sidOf(W[1]), sidOf(W[2]), sidOf(W[3]), sidOf(W[4])}
        if tokens < 0 then tokens = 0 end
        countAll(tokens, ARGV[8])
        return {1, W[2].reset, W[4].reset, sids[1], sids[2], sids[3], sids[4], tokensKnownUntil()}
        """;

    /// <summary>Counts a call made without a reservation. ARGV after the prelude's: 7 tokens, 8 an entry id, 9 the
    /// scope's index entry.</summary>
    public const string Record = Prelude + """
        touchScope(ARGV[9])
        countAll(tonumber(ARGV[7]), ARGV[8])
        return 1
        """;

    /// <summary>Takes a statement. ARGV after the prelude's: 7 measure index, 8 limit (-1), 9 remaining (-1: none),
    /// 10 reset (-1: none), 11 the statement's id, 12 the scope's index entry.</summary>
    public const string Observe = Prelude + """
        touchScope(ARGV[12])
        local m = tonumber(ARGV[7]) + 1
        local limit = tonumber(ARGV[8])
        local left = tonumber(ARGV[9])
        local resetAt = tonumber(ARGV[10])
        if limit > 0 then
          redis.call('HSET', KEYS[10], names[m], limit)
          redis.call('PEXPIRE', KEYS[10], LEARNED_TTL)
        end
        if left >= 0 then
          local untilAt
          if resetAt > now then
            untilAt = resetAt
          elseif daily[m] then
            untilAt = W[m].reset
          else
            untilAt = now + MIN
          end
          redis.call('DEL', KEYS[5 + m])
          redis.call('HSET', KEYS[5 + m], 'rem', left, 'until', untilAt, 'id', ARGV[11])
          redis.call('PEXPIRE', KEYS[5 + m], untilAt - now + MIN)
        end
        return 1
        """;

    /// <summary>The four windows' limit, remaining and reset (-1: unknown), then until when token windows are known.</summary>
    public const string Figures = Prelude + """
        local out = {}
        for i = 1, 4 do
          local w = W[i]
          out[#out + 1] = w.limit or -1
          out[#out + 1] = remaining(w) or -1
          out[#out + 1] = resetAt(w)
        end
        out[#out + 1] = tokensKnownUntil()
        return out
        """;

    /// <summary>
    /// Corrects a reservation's tokens to the real usage. KEYS: 1 tpm, 2 tpm amounts, 3 tpd, 4 stated tpm, 5 stated
    /// tpd. ARGV: 1 entry id, 2 held tokens, 3 real tokens, 4 the tpd reset it was counted under, 5 and 6 the tpm and
    /// tpd statement ids it was counted under.
    /// </summary>
    public const string Settle = """
        local delta = tonumber(ARGV[3]) - tonumber(ARGV[2])
        if delta == 0 then return 0 end
        if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
          redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
        end
        local d = redis.call('HMGET', KEYS[3], 'used', 'reset')
        if d[2] and tonumber(d[2]) == tonumber(ARGV[4]) then
          local used = tonumber(d[1]) + delta
          if used < 0 then used = 0 end
          redis.call('HSET', KEYS[3], 'used', used)
        end
        -- A reservation counted under no statement has nothing to correct there: no read for it.
        for j = 0, 1 do
          if ARGV[5 + j] ~= '' and redis.call('HGET', KEYS[4 + j], 'id') == ARGV[5 + j] then
            redis.call('HINCRBY', KEYS[4 + j], 'rem', 0 - delta)
          end
        end
        return 1
        """;

    /// <summary>
    /// Gives a reservation back. KEYS: the scope's first nine. ARGV: 1 entry id, 2 tokens, 3 and 4 the rpd and tpd
    /// resets it was counted under, 5–8 the statement ids it was counted under.
    /// </summary>
    public const string Release = """
        local tokens = tonumber(ARGV[2])
        redis.call('ZREM', KEYS[1], ARGV[1])
        redis.call('ZREM', KEYS[2], ARGV[1])
        redis.call('HDEL', KEYS[3], ARGV[1])
        local amounts = {1, 1, tokens, tokens}
        for j = 0, 1 do
          local key = KEYS[4 + j]
          local amount = amounts[2 + 2 * j]
          local d = redis.call('HMGET', key, 'used', 'reset')
          if amount > 0 and d[2] and tonumber(d[2]) == tonumber(ARGV[3 + j]) then
            local used = tonumber(d[1]) - amount
            if used < 0 then used = 0 end
            redis.call('HSET', key, 'used', used)
          end
        end
        for i = 1, 4 do
          if amounts[i] > 0 and ARGV[4 + i] ~= '' and redis.call('HGET', KEYS[5 + i], 'id') == ARGV[4 + i] then
            redis.call('HINCRBY', KEYS[5 + i], 'rem', amounts[i])
          end
        end
        return 1
        """;
}
